package appeal

import (
	"context"
	"fmt"
	"strings"

	"github.com/ballast-hr/ballast"
)

// roleIn returns how p takes part in a: as the employee who filed it, as
// HR (the kind's ManagePermission) or as the manager who answers it. It
// returns ballast.ErrNotFound for anyone else, so that an outsider cannot
// even learn that the appeal exists.
func (s *Service) roleIn(ctx context.Context, p ballast.Principal, a Appeal) (Role, error) {
	switch {
	case p.Kind == ballast.KindSystem:
		return RoleHR, nil
	case a.EmployeeID == p.Subject:
		return RoleEmployee, nil
	}
	k, err := s.kind(a.Kind)
	if err != nil {
		return "", err
	}
	ok, err := s.allowed(ctx, p, k.ManagePermission)
	if err != nil {
		return "", err
	}
	switch {
	case ok:
		return RoleHR, nil
	case a.ManagerID != "" && a.ManagerID == p.Subject:
		return RoleManager, nil
	}
	return "", fmt.Errorf("appeal %s: %w", a.ID, ballast.ErrNotFound)
}

// participantAppeal loads an appeal the principal takes part in.
func (s *Service) participantAppeal(ctx context.Context, p ballast.Principal, id string) (Appeal, Role, error) {
	a, err := s.store.Appeal(ctx, p.Tenant, id)
	if err != nil {
		return Appeal{}, "", err
	}
	r, err := s.roleIn(ctx, p, a)
	if err != nil {
		return Appeal{}, "", err
	}
	return a, r, nil
}

// Reply adds the principal's reply to a pending appeal's thread: the
// employee who filed it, HR (the kind's ManagePermission) and the manager
// who answers it may reply; for anyone else the appeal is
// ballast.ErrNotFound. The other participants are notified. A body that is
// empty or longer than MaxBodyLen is a *ballast.ValidationError; a decided
// or withdrawn appeal is ErrClosed.
func (s *Service) Reply(ctx context.Context, appealID, body string) (Message, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Message{}, fmt.Errorf("appeal: reply: %w", err)
	}
	body = strings.TrimSpace(body)
	var v ballast.ValidationError
	checkText(&v, "body", body, 1, MaxBodyLen)
	if err := v.Err(); err != nil {
		return Message{}, fmt.Errorf("appeal: reply to %s: %w", appealID, err)
	}
	var m Message
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		a, role, err := s.participantAppeal(ctx, pr, appealID)
		if err != nil {
			return err
		}
		if !a.Status.Pending() {
			return fmt.Errorf("%w (%s)", ErrClosed, a.Status)
		}
		m = Message{ID: ballast.NewID(), AppealID: a.ID, AuthorID: pr.Subject, Role: role, Body: body, CreatedAt: s.now()}
		if err := s.store.InsertMessage(ctx, pr.Tenant, m); err != nil {
			return err
		}
		if err := s.record(ctx, ActionReply, a.ID, "", nil, struct {
			MessageID string
			Role      Role
		}{m.ID, m.Role}); err != nil {
			return err
		}
		return s.notifyReply(ctx, a, m)
	})
	if err != nil {
		return Message{}, fmt.Errorf("appeal: reply to %s: %w", appealID, err)
	}
	return m, nil
}

// Thread returns an appeal's replies, oldest first, to its participants
// (as Reply); for anyone else the appeal is ballast.ErrNotFound.
func (s *Service) Thread(ctx context.Context, appealID string) ([]Message, error) {
	pr, err := principal(ctx)
	if err != nil {
		return nil, fmt.Errorf("appeal: thread: %w", err)
	}
	if _, _, err := s.participantAppeal(ctx, pr, appealID); err != nil {
		return nil, fmt.Errorf("appeal: thread of %s: %w", appealID, err)
	}
	ms, err := s.store.Messages(ctx, pr.Tenant, appealID)
	if err != nil {
		return nil, fmt.Errorf("appeal: thread of %s: %w", appealID, err)
	}
	return ms, nil
}

// Appeal returns one appeal to its participants (as Reply); for anyone
// else it is ballast.ErrNotFound.
func (s *Service) Appeal(ctx context.Context, id string) (Appeal, error) {
	pr, err := principal(ctx)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: get: %w", err)
	}
	a, _, err := s.participantAppeal(ctx, pr, id)
	if err != nil {
		return Appeal{}, fmt.Errorf("appeal: get %s: %w", id, err)
	}
	return a, nil
}
