package assessment

import (
	"context"
	"errors"
	"io"
	"time"
)

var errTODO = errors.New("assessment: not implemented yet")

// SaveManagerReview saves the manager's scores, comments and actuals.
func (s *Service) SaveManagerReview(ctx context.Context, participantID string, in []EntryInput) (Review, error) {
	return Review{}, errTODO
}

// SubmitManagerReview submits the manager's review.
func (s *Service) SubmitManagerReview(ctx context.Context, participantID string) (Participant, error) {
	return Participant{}, errTODO
}

// RecordActuals records quantitative actuals.
func (s *Service) RecordActuals(ctx context.Context, cycleID string, actuals []Actual) (ImportReport, error) {
	return ImportReport{}, errTODO
}

// ImportActualsCSV imports actuals from CSV.
func (s *Service) ImportActualsCSV(ctx context.Context, cycleID string, r io.Reader) (ImportReport, error) {
	return ImportReport{}, errTODO
}

// Calibrate adjusts a score in calibration.
func (s *Service) Calibrate(ctx context.Context, participantID string, score float64, reason string) (Participant, error) {
	return Participant{}, errTODO
}

// Distribution returns the grade distribution.
func (s *Service) Distribution(ctx context.Context, cycleID string) (Distribution, error) {
	return Distribution{}, errTODO
}

// Finalise finalises a cycle.
func (s *Service) Finalise(ctx context.Context, cycleID string, version int64) (FinaliseReport, error) {
	return FinaliseReport{}, errTODO
}

// Result returns a participant's result.
func (s *Service) Result(ctx context.Context, participantID string) (EmployeeResult, error) {
	return EmployeeResult{}, errTODO
}

// DepartmentReport returns a department report.
func (s *Service) DepartmentReport(ctx context.Context, cycleID, departmentID string) (DepartmentReport, error) {
	return DepartmentReport{}, errTODO
}

// Progress returns the progress of a cycle.
func (s *Service) Progress(ctx context.Context, cycleID string) (Progress, error) {
	return Progress{}, errTODO
}

// AdjustResult adjusts a finalised result.
func (s *Service) AdjustResult(ctx context.Context, p AdjustParams) (Participant, error) {
	return Participant{}, errTODO
}

// AppealWindow reads the appeal window of a participant.
func (s *Service) AppealWindow(ctx context.Context, participantID string) (AppealWindow, error) {
	return AppealWindow{}, errTODO
}

// Adjustments lists a participant's adjustments.
func (s *Service) Adjustments(ctx context.Context, participantID string) ([]Adjustment, error) {
	return nil, errTODO
}

// Reconcile sends reminders and escalations.
func (s *Service) Reconcile(ctx context.Context, now time.Time) (ReconcileReport, error) {
	return ReconcileReport{}, errTODO
}
