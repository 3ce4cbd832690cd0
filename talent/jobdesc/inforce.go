package jobdesc

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast"
)

// InForce returns the job description in force for an hr position, with
// the revision in force in Revision: the department version of the
// position's department when one for the position has an approved
// revision, else the template for the position with a published revision
// (the newest document of either kind when there are several). A document
// is for the position its latest revision names.
// Any principal holding PermRead (every employee), PermReadDepartment or
// PermManage may read it: it is what the company expects of the job.
// Other talent packages read required competencies through it.
//
// Errors: ballast.ErrNotFound for an unknown position or when no
// description for it is in force; ballast.ErrForbidden without any of the
// permissions.
func (s *Service) InForce(ctx context.Context, positionID string) (Document, error) {
	d, err := func() (Document, error) {
		a, err := s.actor(ctx, "")
		if err != nil {
			return Document{}, err
		}
		if !a.manages {
			ok := false
			for _, perm := range []string{PermRead, PermReadDepartment} {
				if ok, err = s.allowed(ctx, a.Principal, perm); err != nil {
					return Document{}, err
				} else if ok {
					break
				}
			}
			if !ok {
				return Document{}, s.authorize(ctx, a.Principal, PermRead)
			}
		}
		if err := ballast.CheckID("position_id", positionID); err != nil {
			return Document{}, err
		}
		pos, err := s.org.Position(as(ctx, a.Principal), positionID)
		if err != nil {
			return Document{}, err
		}
		ds, err := s.store.ListDocuments(ctx, a.Tenant, Query{PositionID: positionID})
		if err != nil {
			return Document{}, err
		}
		var best Document
		n := 0
		for _, d := range ds {
			switch {
			case d.Kind == KindDepartment && d.DepartmentID == pos.DepartmentID && d.Approved > 0:
				if best.Kind != KindDepartment || d.ID > best.ID {
					best, n = d, d.Approved
				}
			case d.Kind == KindTemplate && d.Published > 0 && best.Kind != KindDepartment:
				if best.ID == "" || d.ID > best.ID {
					best, n = d, d.Published
				}
			}
		}
		if best.ID == "" {
			return Document{}, fmt.Errorf("no job description is in force: %w", ballast.ErrNotFound)
		}
		r, err := s.store.Revision(ctx, a.Tenant, best.ID, n)
		if err != nil {
			return Document{}, err
		}
		best.Revision = &r
		return best, nil
	}()
	if err != nil {
		return Document{}, fmt.Errorf("jobdesc: in force for position %s: %w", positionID, err)
	}
	return d, nil
}
