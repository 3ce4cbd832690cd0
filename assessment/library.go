package assessment

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
)

// CreateIndicator adds an indicator to the tenant's library (PermManage).
// A code the tenant already uses is ballast.ErrConflict.
func (s *Service) CreateIndicator(ctx context.Context, p IndicatorParams) (Indicator, error) {
	var out Indicator
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		p = p.normalise(&v)
		if err := v.Err(); err != nil {
			return err
		}
		now := s.now()
		out = indicatorOf(ballast.NewID(), p)
		out.CreatedAt, out.UpdatedAt, out.Version = now, now, 1
		if err := s.store.InsertIndicator(ctx, pr.Tenant, out); err != nil {
			return err
		}
		return s.record(ctx, ActionIndicatorCreate, TargetIndicator, out.ID, "", nil, out)
	})
	if err != nil {
		return Indicator{}, fmt.Errorf("assessment: create indicator: %w", err)
	}
	return out, nil
}

func indicatorOf(id string, p IndicatorParams) Indicator {
	return Indicator{ID: id, Code: p.Code, Name: p.Name, Description: p.Description, Kind: p.Kind, Unit: p.Unit,
		Target: p.Target, Direction: p.Direction, Mapping: p.Mapping, Scale: p.Scale, Dimension: p.Dimension}
}

// UpdateIndicator replaces an indicator's definition (PermManage) under
// optimistic locking. Open cycles keep the copy they opened with.
func (s *Service) UpdateIndicator(ctx context.Context, id string, p IndicatorParams, version int64) (Indicator, error) {
	var out Indicator
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		var v ballast.ValidationError
		p = p.normalise(&v)
		if err := v.Err(); err != nil {
			return err
		}
		before, err := s.store.Indicator(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("indicator "+id, version, before.Version)
		}
		out = indicatorOf(id, p)
		out.Archived, out.CreatedAt, out.UpdatedAt, out.Version = before.Archived, before.CreatedAt, s.now(), before.Version+1
		if err := s.store.UpdateIndicator(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, ActionIndicatorUpdate, TargetIndicator, id, "", before, out)
	})
	if err != nil {
		return Indicator{}, fmt.Errorf("assessment: update indicator: %w", err)
	}
	return out, nil
}

// ArchiveIndicator archives (archived true) or restores an indicator
// (PermManage). Archived indicators stay in the templates and cycles that
// use them but cannot be added to a template.
func (s *Service) ArchiveIndicator(ctx context.Context, id string, archived bool, version int64) (Indicator, error) {
	var out Indicator
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		before, err := s.store.Indicator(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("indicator "+id, version, before.Version)
		}
		out = before
		out.Archived, out.UpdatedAt, out.Version = archived, s.now(), before.Version+1
		if err := s.store.UpdateIndicator(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, ActionIndicatorArchive, TargetIndicator, id, "", before, out)
	})
	if err != nil {
		return Indicator{}, fmt.Errorf("assessment: archive indicator: %w", err)
	}
	return out, nil
}

// Indicator returns one indicator of the library. Everyone who takes part
// in assessments may read the library (PermSelf, PermScoreDepartment or
// PermManage).
func (s *Service) Indicator(ctx context.Context, id string) (Indicator, error) {
	pr, err := s.reader(ctx)
	if err != nil {
		return Indicator{}, fmt.Errorf("assessment: indicator: %w", err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return Indicator{}, fmt.Errorf("assessment: indicator: %w", err)
	}
	ind, err := s.store.Indicator(ctx, pr.Tenant, id)
	if err != nil {
		return Indicator{}, fmt.Errorf("assessment: indicator: %w", err)
	}
	return ind, nil
}

// Indicators lists the library ordered by code (readable like Indicator).
func (s *Service) Indicators(ctx context.Context, q IndicatorQuery) ([]Indicator, error) {
	pr, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("assessment: indicators: %w", err)
	}
	if q.Kind != "" && q.Kind != Quantitative && q.Kind != Qualitative {
		return nil, fmt.Errorf("assessment: indicators: %w", ballast.Invalid("kind", `must be "quantitative" or "qualitative"`))
	}
	out, err := s.store.ListIndicators(ctx, pr.Tenant, q)
	if err != nil {
		return nil, fmt.Errorf("assessment: indicators: %w", err)
	}
	return out, nil
}

// reader is the principal of a read open to every participant of
// assessments.
func (s *Service) reader(ctx context.Context) (ballast.Principal, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return pr, err
	}
	for _, perm := range []string{PermManage, PermScoreDepartment, PermSelf} {
		ok, err := s.allowed(ctx, pr, perm)
		if err != nil {
			return pr, err
		}
		if ok {
			return pr, nil
		}
	}
	return pr, forbidden("%s may not read assessments", pr.Subject)
}

// checkTemplate validates p and its indicators against the library.
func (s *Service) checkTemplate(ctx context.Context, tenant string, p TemplateParams) (TemplateParams, error) {
	var v ballast.ValidationError
	p = p.validate(&v)
	if err := v.Err(); err != nil {
		return p, err
	}
	tpl := Template{Categories: p.Categories}
	inds, err := s.store.IndicatorsByID(ctx, tenant, tpl.indicatorIDs())
	if err != nil {
		return p, err
	}
	byID := make(map[string]Indicator, len(inds))
	for _, ind := range inds {
		byID[ind.ID] = ind
	}
	for i, c := range p.Categories {
		for j, it := range c.Items {
			f := fmt.Sprintf("categories[%d].items[%d].indicator_id", i, j)
			ind, ok := byID[it.IndicatorID]
			switch {
			case !ok:
				v.Add(f, "is not an indicator of this tenant")
			case ind.Archived:
				v.Add(f, fmt.Sprintf("indicator %q is archived", ind.Code))
			case it.Target > 0 && ind.Kind != Quantitative:
				v.Add(fmt.Sprintf("categories[%d].items[%d].target", i, j), "is only for a quantitative indicator")
			}
		}
	}
	return p, v.Err()
}

// CreateTemplate creates a template as version 1, a draft (PermManage).
func (s *Service) CreateTemplate(ctx context.Context, p TemplateParams) (Template, error) {
	var out Template
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if p, err = s.checkTemplate(ctx, pr.Tenant, p); err != nil {
			return err
		}
		now := s.now()
		out = Template{ID: ballast.NewID(), Version: 1, Name: p.Name, Description: p.Description, Status: TemplateDraft,
			Categories: p.Categories, Overrides: p.Overrides, CreatedBy: pr.Subject, CreatedAt: now, UpdatedAt: now}
		if err := s.store.InsertTemplate(ctx, pr.Tenant, out); err != nil {
			return err
		}
		return s.record(ctx, ActionTemplateSave, TargetTemplate, out.ID, "version 1", nil, out)
	})
	if err != nil {
		return Template{}, fmt.Errorf("assessment: create template: %w", err)
	}
	return out, nil
}

// UpdateTemplate edits a template (PermManage): the latest version when it
// is a draft, otherwise a new draft version after the latest published
// one. Cycles keep the version they opened with.
func (s *Service) UpdateTemplate(ctx context.Context, id string, p TemplateParams) (Template, error) {
	var out Template
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		if p, err = s.checkTemplate(ctx, pr.Tenant, p); err != nil {
			return err
		}
		latest, err := s.store.Template(ctx, pr.Tenant, id, 0)
		if err != nil {
			return err
		}
		now := s.now()
		out = latest
		out.Name, out.Description, out.Categories, out.Overrides, out.UpdatedAt = p.Name, p.Description, p.Categories, p.Overrides, now
		if latest.Status == TemplateDraft {
			if err := s.store.UpdateDraft(ctx, pr.Tenant, out); err != nil {
				return err
			}
			return s.record(ctx, ActionTemplateSave, TargetTemplate, id, fmt.Sprintf("version %d", out.Version), latest, out)
		}
		out.Version, out.Status, out.CreatedBy, out.CreatedAt, out.PublishedAt = latest.Version+1, TemplateDraft, pr.Subject, now, time.Time{}
		if err := s.store.InsertTemplate(ctx, pr.Tenant, out); err != nil {
			return err
		}
		return s.record(ctx, ActionTemplateSave, TargetTemplate, id, fmt.Sprintf("version %d", out.Version), latest, out)
	})
	if err != nil {
		return Template{}, fmt.Errorf("assessment: update template: %w", err)
	}
	return out, nil
}

// PublishTemplate freezes the template's latest version (PermManage), so
// cycles can open on it. Publishing a version that is not the latest
// draft is ErrWrongState.
func (s *Service) PublishTemplate(ctx context.Context, id string, version int) (Template, error) {
	var out Template
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		latest, err := s.store.Template(ctx, pr.Tenant, id, 0)
		if err != nil {
			return err
		}
		if latest.Version != version || latest.Status != TemplateDraft {
			return wrongState("template %s: version %d is not the latest draft (latest %d is %s)", id, version, latest.Version, latest.Status)
		}
		out = latest
		out.Status, out.PublishedAt, out.UpdatedAt = TemplatePublished, s.now(), s.now()
		if err := s.store.UpdateDraft(ctx, pr.Tenant, out); err != nil {
			return err
		}
		return s.record(ctx, ActionTemplatePublish, TargetTemplate, id, fmt.Sprintf("version %d", version), latest, out)
	})
	if err != nil {
		return Template{}, fmt.Errorf("assessment: publish template: %w", err)
	}
	return out, nil
}

// Template returns one version of a template (0: the latest); readable by
// everyone who takes part in assessments.
func (s *Service) Template(ctx context.Context, id string, version int) (Template, error) {
	pr, err := s.reader(ctx)
	if err == nil {
		err = ballast.CheckID("id", id)
	}
	if err == nil && version < 0 {
		err = ballast.Invalid("version", "must be 0 (the latest) or above")
	}
	if err != nil {
		return Template{}, fmt.Errorf("assessment: template: %w", err)
	}
	t, err := s.store.Template(ctx, pr.Tenant, id, version)
	if err != nil {
		return Template{}, fmt.Errorf("assessment: template: %w", err)
	}
	return t, nil
}

// Templates lists the latest version of every template (PermManage).
func (s *Service) Templates(ctx context.Context) ([]Template, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return nil, fmt.Errorf("assessment: templates: %w", err)
	}
	out, err := s.store.ListTemplates(ctx, pr.Tenant)
	if err != nil {
		return nil, fmt.Errorf("assessment: templates: %w", err)
	}
	return out, nil
}

// GradeScale returns the tenant's grade scale, DefaultGradeScale until it
// sets one; readable by everyone who takes part in assessments.
func (s *Service) GradeScale(ctx context.Context) (GradeScale, error) {
	pr, err := s.reader(ctx)
	if err != nil {
		return GradeScale{}, fmt.Errorf("assessment: grade scale: %w", err)
	}
	g, err := s.gradeScale(ctx, pr.Tenant)
	if err != nil {
		return GradeScale{}, fmt.Errorf("assessment: grade scale: %w", err)
	}
	return g, nil
}

func (s *Service) gradeScale(ctx context.Context, tenant string) (GradeScale, error) {
	g, err := s.store.GradeScale(ctx, tenant)
	if errors.Is(err, ballast.ErrNotFound) {
		return DefaultGradeScale(), nil
	}
	return g, err
}

// SetGradeScale replaces the tenant's grade scale (PermManage); version is
// the version read (0 for the default). Grades are listed highest first,
// with strictly decreasing Min and the last at 0. Results already
// finalised keep their grades.
func (s *Service) SetGradeScale(ctx context.Context, grades []Grade, version int64) (GradeScale, error) {
	var out GradeScale
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		gs, err := validateGrades(grades)
		if err != nil {
			return err
		}
		before, err := s.gradeScale(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("grade scale", version, before.Version)
		}
		out = GradeScale{Grades: gs, UpdatedAt: s.now(), Version: version + 1}
		if err := s.store.PutGradeScale(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, ActionGradeScale, TargetGradeScale, pr.Tenant, "", before.Grades, out.Grades)
	})
	if err != nil {
		return GradeScale{}, fmt.Errorf("assessment: set grade scale: %w", err)
	}
	return out, nil
}

var _ = strings.TrimSpace
