package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/offboarding"
)

// person is a link to another employee.
type person struct {
	ID, Name string
}

// profileView is everything the profile page shows.
type profileView struct {
	Employee   hr.Employee
	Department string
	Position   *hr.Position
	Manager    *person
	Referrer   *person
	// Referrals is nil when the principal may not see them.
	Referrals    []hr.Employee
	ShowReferral bool
	// Profile is nil when the principal may not read it.
	Profile      *hr.Profile
	TargetTitle  string
	TenureYears  string
	IsSelf       bool
	CanEditSelf  bool
	CanEditHR    bool
	Form         selfForm
	Saved        bool
	FieldErrors  []ballast.FieldError
	SkillLevels  []int
	Directions   []option
	PositionOpts []option
	// OffboardingCase is the employee's open offboarding case the
	// principal may open; CanResign offers HR to record a resignation.
	OffboardingCase string
	CanResign       bool
}

// selfForm is the self-service edit form's content.
type selfForm struct {
	Version int64
	Phone   string
	Skills  []hr.Skill
	Notes   string
}

// handleProfile shows one employee: directory data for anyone who may read
// the directory, the profile to the employee and to HR.
func (s *server) handleProfile(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	v, err := s.profileView(r, base, p, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	v.Saved = r.URL.Query().Get("saved") == "1"
	if v.Saved {
		base.Flash = s.cat.T(base.Lang, "profile.saved")
	}
	s.renderProfile(w, r, http.StatusOK, base, v)
}

// handleSelfService saves the self-service fields of one's own profile:
// phone, skills and career plan.
func (s *server) handleSelfService(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if err := r.ParseForm(); err != nil || !csrfValid(r) {
		s.forbiddenCSRF(w, r)
		return
	}
	id := r.PathValue("id")
	u, parseErr := parseSelfForm(r)
	var err error
	if parseErr == nil {
		_, err = s.hr.UpdateProfile(r.Context(), id, u)
	} else {
		err = parseErr
	}
	if err == nil {
		http.Redirect(w, r, "/employees/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
		return
	}
	var verr *ballast.ValidationError
	if !errors.Is(err, ballast.ErrInvalid) && !errors.Is(err, ballast.ErrConflict) {
		s.fail(w, r, base, err)
		return
	}
	v, lerr := s.profileView(r, base, p, id)
	if lerr != nil {
		s.fail(w, r, base, lerr)
		return
	}
	if errors.As(err, &verr) {
		v.FieldErrors = verr.Fields
		base.Error = s.cat.T(base.Lang, "profile.error.invalid")
	} else if errors.Is(err, ballast.ErrConflict) {
		base.Error = s.cat.T(base.Lang, "error.conflict.text")
	} else {
		base.Error = s.cat.T(base.Lang, "profile.error.invalid")
	}
	// Keep what the user typed.
	if u.Phone != nil {
		v.Form.Phone = *u.Phone
	}
	if u.Skills != nil {
		v.Form.Skills = padSkills(*u.Skills)
	}
	s.renderProfile(w, r, http.StatusBadRequest, base, v)
}

func (s *server) renderProfile(w http.ResponseWriter, r *http.Request, status int, base *page, v *profileView) {
	base.Title = v.Employee.Name
	if v.IsSelf {
		base.Section = "me"
	} else {
		base.Section = "employees"
	}
	s.profileOffboarding(r, v)
	base.Data = v
	s.render(w, r, status, "profile", base)
}

// profileView gathers the page: the employee, their department, position,
// manager and referrer, the profile and the referrals when visible.
func (s *server) profileView(r *http.Request, base *page, p ballast.Principal, id string) (*profileView, error) {
	ctx := r.Context()
	e, err := s.hr.Employee(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &profileView{Employee: e, IsSelf: p.Subject == e.ID, SkillLevels: []int{1, 2, 3, 4, 5}}
	if ds, err := s.hr.Departments(ctx); err == nil {
		v.Department = departmentPath(ds, e.DepartmentID)
	}
	positions, _ := s.hr.Positions(ctx, "")
	for i := range positions {
		if positions[i].ID == e.PositionID {
			v.Position = &positions[i]
		}
	}
	if e.ManagerID != "" {
		if m, err := s.hr.Employee(ctx, e.ManagerID); err == nil {
			v.Manager = &person{m.ID, m.Name}
		}
	}
	if e.ReferrerID != "" {
		if m, err := s.hr.Employee(ctx, e.ReferrerID); err == nil {
			v.Referrer = &person{m.ID, m.Name}
		}
	}
	v.TenureYears = s.tenure(e)

	prof, err := s.hr.Profile(ctx, id)
	switch {
	case err == nil:
		slices.SortFunc(prof.Performance, func(a, b hr.PerformanceRecord) int { return strings.Compare(b.Period, a.Period) })
		v.Profile = &prof
	case errors.Is(err, ballast.ErrForbidden):
	default:
		return nil, err
	}
	if refs, err := s.hr.Referrals(ctx, id); err == nil {
		slices.SortStableFunc(refs, func(a, b hr.Employee) int { return strings.Compare(a.HireDate.String(), b.HireDate.String()) })
		v.Referrals, v.ShowReferral = refs, true
	} else if !errors.Is(err, ballast.ErrForbidden) {
		return nil, err
	}

	v.CanEditHR = s.allowed(ctx, permProfileWriteHR)
	v.CanEditSelf = v.IsSelf && v.Profile != nil && s.allowed(ctx, permProfileWriteSelf)
	if v.CanEditSelf {
		v.Form = selfForm{Version: v.Profile.Version, Phone: e.Phone, Skills: padSkills(v.Profile.Skills)}
		dir, target := "", ""
		if cp := v.Profile.CareerPlan; cp != nil {
			dir, target, v.Form.Notes = cp.Direction, cp.TargetPositionID, cp.Notes
		}
		v.Directions = []option{{Value: "", Label: "—"}}
		for _, d := range []string{hr.DirectionManagement, hr.DirectionTechnical, hr.DirectionSales, hr.DirectionOther} {
			v.Directions = append(v.Directions, option{Value: d, Label: s.cat.T(base.Lang, "direction."+d), Selected: d == dir})
		}
		v.PositionOpts = []option{{Value: "", Label: "—"}}
		for _, po := range positions {
			v.PositionOpts = append(v.PositionOpts, option{Value: po.ID, Label: po.Title, Selected: po.ID == target})
		}
	}
	if v.Profile != nil && v.Profile.CareerPlan != nil {
		for _, po := range positions {
			if po.ID == v.Profile.CareerPlan.TargetPositionID {
				v.TargetTitle = po.Title
			}
		}
	}
	return v, nil
}

// departmentPath names a department with its ancestors below the root
// ("销售部 / 大客户组"); the root (the company) is left out unless it is the
// department itself.
func departmentPath(ds []hr.Department, id string) string {
	byID := make(map[string]hr.Department, len(ds))
	for _, d := range ds {
		byID[d.ID] = d
	}
	var names []string
	for cur, ok := byID[id]; ok && len(names) < 32; cur, ok = byID[cur.ParentID] {
		if cur.ParentID == "" && len(names) > 0 {
			break
		}
		names = append([]string{cur.Name}, names...)
	}
	return strings.Join(names, " / ")
}

// tenure is the time since the hire date in years, one decimal.
func (s *server) tenure(e hr.Employee) string {
	if e.HireDate.IsZero() {
		return ""
	}
	end := s.clock.Now()
	if !e.LastWorkingDay.IsZero() && e.Status == hr.StatusDeparted {
		end = e.LastWorkingDay.In(end.Location())
	}
	years := end.Sub(e.HireDate.In(end.Location())).Hours() / 24 / 365.25
	if years < 0 {
		years = 0
	}
	return strconv.FormatFloat(years, 'f', 1, 64)
}

// padSkills returns skills with three empty rows to add new ones.
func padSkills(sk []hr.Skill) []hr.Skill {
	out := slices.Clone(sk)
	for range 3 {
		out = append(out, hr.Skill{Level: 3})
	}
	return out
}

// parseSelfForm reads the self-service form into a profile update. Empty
// skill rows are dropped; bad numbers are field errors.
func parseSelfForm(r *http.Request) (hr.ProfileUpdate, error) {
	var verr ballast.ValidationError
	u := hr.ProfileUpdate{}
	ver, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil {
		verr.Add("version", "is not a number")
	}
	u.Version = ver
	phone := strings.TrimSpace(r.PostFormValue("phone"))
	u.Phone = &phone
	names, levels := r.PostForm["skill_name"], r.PostForm["skill_level"]
	skills := []hr.Skill{}
	for i, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		lvl := 0
		if i < len(levels) {
			lvl, err = strconv.Atoi(levels[i])
			if err != nil {
				verr.Add(fmt.Sprintf("skills[%d].level", i), "is not a number")
			}
		}
		skills = append(skills, hr.Skill{Name: n, Level: lvl})
	}
	u.Skills = &skills
	dir := r.PostFormValue("direction")
	target := r.PostFormValue("target_position")
	notes := strings.TrimSpace(r.PostFormValue("notes"))
	if dir != "" || target != "" || notes != "" {
		u.CareerPlan = &hr.CareerPlan{Direction: dir, TargetPositionID: target, Notes: notes}
	}
	return u, verr.Err()
}

// profileOffboarding links the profile to the employee's open offboarding
// case (for HR and the case's participants), or offers HR to record a
// resignation for an active employee.
func (s *server) profileOffboarding(r *http.Request, v *profileView) {
	if s.offboarding == nil {
		return
	}
	ctx := r.Context()
	f := offboarding.CaseFilter{Status: offboarding.CaseOpen, EmployeeID: v.Employee.ID, Limit: 1}
	list := s.offboarding.MyCases
	manage := s.allowed(ctx, permOffboardingManage)
	if manage {
		list = s.offboarding.Cases
	}
	cs, err := list(ctx, f)
	switch {
	case err != nil:
		s.log.Warn("web: profile offboarding", "employee", v.Employee.ID, "err", err)
	case len(cs) > 0:
		v.OffboardingCase = cs[0].ID
	default:
		v.CanResign = manage && v.Employee.Status == hr.StatusActive
	}
}
