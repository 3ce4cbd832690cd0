package web

import (
	"context"
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// orgNode is a department of the tree as the page shows it.
type orgNode struct {
	ID             string
	Name           string
	HeadID         string
	HeadName       string
	Headcount      int
	TotalHeadcount int
	Children       []*orgNode
}

// handleOrg shows the department tree with heads and headcounts.
func (s *server) handleOrg(w http.ResponseWriter, r *http.Request, base *page, _ ballast.Principal) {
	ctx := r.Context()
	roots, err := s.hr.DepartmentTree(ctx)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := make(map[string]string)
	total := 0
	var nodes []*orgNode
	for _, n := range roots {
		nodes = append(nodes, s.orgNode(ctx, n, names))
		total += n.TotalHeadcount
	}
	base.Title = s.cat.T(base.Lang, "org.title")
	base.Section = "org"
	base.Data = struct {
		Roots []*orgNode
		Total int
	}{nodes, total}
	s.render(w, r, http.StatusOK, "org", base)
}

// orgNode converts a tree node, looking up each head's name once.
func (s *server) orgNode(ctx context.Context, n *hr.DepartmentNode, names map[string]string) *orgNode {
	o := &orgNode{
		ID: n.ID, Name: n.Name, HeadID: n.HeadID,
		Headcount: n.Headcount, TotalHeadcount: n.TotalHeadcount,
	}
	if n.HeadID != "" {
		name, ok := names[n.HeadID]
		if !ok {
			if e, err := s.hr.Employee(ctx, n.HeadID); err == nil {
				name = e.Name
			}
			names[n.HeadID] = name
		}
		o.HeadName = name
	}
	for _, c := range n.Children {
		o.Children = append(o.Children, s.orgNode(ctx, c, names))
	}
	return o
}
