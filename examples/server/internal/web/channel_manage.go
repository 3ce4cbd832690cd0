package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
)

// announcementForm is the draft form as typed.
type announcementForm struct {
	Title, Body, Audience string
	Departments           []string
}

// handleAnnouncementsManage lists every announcement of the tenant for HR,
// with the form for a new draft.
func (s *server) handleAnnouncementsManage(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	s.renderManage(w, r, http.StatusOK, base, announcementForm{Audience: string(channel.AudienceAll)}, nil)
}

func (s *server) renderManage(w http.ResponseWriter, r *http.Request, status int, base *page, form announcementForm, ferrs []ballast.FieldError) {
	ctx := r.Context()
	pg, err := s.channel.Announcements(ctx, channel.AnnouncementFilter{Cursor: r.URL.Query().Get("cursor"), Limit: 50})
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	var depts []option
	if ds, err := s.hr.Departments(ctx); err == nil {
		for _, d := range ds {
			sel := false
			for _, id := range form.Departments {
				sel = sel || id == d.ID
			}
			depts = append(depts, option{Value: d.ID, Label: departmentPath(ds, d.ID), Selected: sel})
		}
		slices.SortFunc(depts, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	}
	var next string
	if pg.NextCursor != "" {
		next = "/announcements/manage?" + url.Values{"cursor": {pg.NextCursor}}.Encode()
	}
	switch r.URL.Query().Get("saved") {
	case "draft":
		base.Flash = s.cat.T(base.Lang, "ann.draft.flash")
	case "withdrawn":
		base.Flash = s.cat.T(base.Lang, "ann.withdrawn.flash")
	}
	base.Title = s.cat.T(base.Lang, "ann.manage.title")
	base.Section = "announcements"
	base.Data = struct {
		Items       []channel.Announcement
		Next        string
		Form        announcementForm
		Departments []option
		FieldErrors []ballast.FieldError
	}{pg.Announcements, next, form, depts, ferrs}
	s.render(w, r, status, "announcements_manage", base)
}

// handleAnnouncementCreate writes a draft, and publishes it at once when
// the "publish" button was used.
func (s *server) handleAnnouncementCreate(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	form := announcementForm{
		Title: strings.TrimSpace(r.PostFormValue("title")), Body: r.PostFormValue("body"),
		Audience: r.PostFormValue("audience"), Departments: r.PostForm["department"],
	}
	aud := channel.Audience{Kind: channel.AudienceAll}
	if form.Audience == string(channel.AudienceDepartments) {
		aud = channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: form.Departments}
	}
	ctx := r.Context()
	a, err := s.channel.CreateAnnouncement(ctx, channel.AnnouncementParams{Title: form.Title, Body: form.Body, Audience: aud})
	if err == nil && r.PostFormValue("publish") == "1" {
		a, err = s.channel.PublishAnnouncement(ctx, a.ID, a.Version)
		if err == nil {
			http.Redirect(w, r, "/announcements/"+url.PathEscape(a.ID)+"?saved=published", http.StatusSeeOther)
			return
		}
	}
	if err == nil {
		http.Redirect(w, r, "/announcements/manage?saved=draft", http.StatusSeeOther)
		return
	}
	var verr *ballast.ValidationError
	if errors.As(err, &verr) {
		base.Error = s.cat.T(base.Lang, "form.invalid")
		s.renderManage(w, r, http.StatusBadRequest, base, form, verr.Fields)
		return
	}
	s.fail(w, r, base, err)
}

// handleAnnouncementState publishes a draft or withdraws a published
// announcement.
func (s *server) handleAnnouncementState(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if strings.HasSuffix(r.URL.Path, "/withdraw") {
		if _, err := s.channel.WithdrawAnnouncement(ctx, id, version); err != nil {
			s.fail(w, r, base, err)
			return
		}
		http.Redirect(w, r, "/announcements/manage?saved=withdrawn", http.StatusSeeOther)
		return
	}
	if _, err := s.channel.PublishAnnouncement(ctx, id, version); err != nil {
		s.fail(w, r, base, err)
		return
	}
	http.Redirect(w, r, "/announcements/"+url.PathEscape(id)+"?saved=published", http.StatusSeeOther)
}
