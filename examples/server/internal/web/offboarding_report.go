package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/offboarding"
)

// reportCustomer is one customer of the report with its people named.
type reportCustomer struct {
	offboarding.HandoverItem
	SuccessorName string
	Signature     offboarding.Signature
	SignerName    string
}

// reportRevocation is one applied stage with its operator named.
type reportRevocation struct {
	access.StageEffect
	Title        string
	OperatorName string
}

// reportEdit is one audit entry of the integrity check with its actor
// named.
type reportEdit struct {
	audit.Entry
	ActorName string
}

// reportChange is one customer altered during the notice period.
type reportChange struct {
	offboarding.IntegrityChange
	Changes []changeRow
	Edits   []reportEdit
}

// handleReport shows the handover report as a printable page.
func (s *server) handleReport(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	rep, err := s.offboarding.Report(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	sigs := make(map[string]offboarding.Signature, len(rep.Signatures))
	for _, sg := range rep.Signatures {
		sigs[sg.ID] = sg
	}
	var custs []reportCustomer
	for _, it := range rep.Customers {
		rc := reportCustomer{HandoverItem: it, SuccessorName: s.name(ctx, names, it.SuccessorID)}
		if sg, ok := sigs[it.SignatureID]; ok {
			rc.Signature, rc.SignerName = sg, s.name(ctx, names, sg.Signer)
		}
		custs = append(custs, rc)
	}
	titles := map[string]string{}
	for _, st := range rep.Case.Plan.Stages {
		titles[st.Key] = s.stageTitle(base.Lang, st.Key, st.Title)
	}
	var revs []reportRevocation
	for _, e := range rep.Revocations {
		revs = append(revs, reportRevocation{StageEffect: e, Title: titles[e.StageKey], OperatorName: s.doneBy(ctx, base.Lang, names, e.AppliedBy)})
	}
	var items []itemRow
	for _, it := range rep.Items {
		items = append(items, itemRow{ItemReturn: it, ConfirmedByName: s.name(ctx, names, it.ConfirmedBy)})
	}
	var steps []struct {
		offboarding.StepDates
		DoneByName string
	}
	for _, sd := range rep.Steps {
		sd.Title = s.stepTitle(base.Lang, sd.Key, sd.Title)
		steps = append(steps, struct {
			offboarding.StepDates
			DoneByName string
		}{sd, s.doneBy(ctx, base.Lang, names, sd.DoneBy)})
	}
	var changed []reportChange
	for _, ch := range rep.Integrity.Changed {
		rc := reportChange{IntegrityChange: ch, Changes: s.changeRows(ctx, base.Lang, names, ch.Changes)}
		for _, e := range ch.Edits {
			rc.Edits = append(rc.Edits, reportEdit{Entry: e, ActorName: s.doneBy(ctx, base.Lang, names, e.Actor)})
		}
		changed = append(changed, rc)
	}
	var succ []string
	for _, id := range rep.Case.Successors {
		succ = append(succ, s.name(ctx, names, id))
	}
	base.Title = s.cat.T(base.Lang, "ob.report.title")
	base.Section = "offboarding"
	base.Data = struct {
		Report                            offboarding.Report
		EmployeeName, ManagerName, HRName string
		Successors                        string
		Customers                         []reportCustomer
		Revocations                       []reportRevocation
		Items                             []itemRow
		Steps                             []struct {
			offboarding.StepDates
			DoneByName string
		}
		Changed []reportChange
	}{rep, s.name(ctx, names, rep.Case.EmployeeID), s.name(ctx, names, rep.Case.ManagerID), s.name(ctx, names, rep.Case.HRID),
		strings.Join(succ, s.cat.T(base.Lang, "list.sep")), custs, revs, items, steps, changed}
	s.render(w, r, http.StatusOK, "offboarding_report", base)
}

// handleReportCSV downloads the customers of the handover report: one row
// per customer with its successor, the handover and the signature that
// moved it.
func (s *server) handleReportCSV(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	rep, err := s.offboarding.Report(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	sigs := make(map[string]offboarding.Signature, len(rep.Signatures))
	for _, sg := range rep.Signatures {
		sigs[sg.ID] = sg
	}
	names := map[string]string{}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="handover-%s-customers.csv"`, rep.Case.ID))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write([]byte("\ufeff")) // so spreadsheets read UTF-8
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"customer_id", "customer_name", "successor_id", "successor_name", "handed_over", "handed_at",
		"handed_by", "note", "signature_id", "signed_at", "signer", "content_sha256", "client_ip"})
	for _, it := range rep.Customers {
		sg := sigs[it.SignatureID]
		_ = cw.Write([]string{it.CustomerID, csvCell(it.CustomerName), it.SuccessorID, csvCell(s.name(ctx, names, it.SuccessorID)),
			strconv.FormatBool(it.HandedOver), utcInstant(it.HandedAt), it.HandedBy, csvCell(it.Note),
			it.SignatureID, utcInstant(sg.SignedAt), sg.Signer, sg.ContentHash, sg.ClientIP})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.log.Error("web: handover csv", "case", rep.Case.ID, "err", err)
	}
}

// utcInstant formats t as RFC 3339 in UTC, or "" when zero.
func utcInstant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// csvCell defuses text a spreadsheet would run as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
