package hr

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
)

// checkDepartment validates p for the department id (empty when creating)
// and looks up its references, all in the transaction of ctx.
func (s *Service) checkDepartment(ctx context.Context, tenant, id string, p DepartmentParams) error {
	var v ballast.ValidationError
	text(&v, "name", p.Name, true, maxName)
	if strings.Contains(p.Name, "/") {
		v.Add("name", `may not contain "/"`)
	}
	isCycle := false
	if ref(&v, "parent_id", p.ParentID) {
		if p.ParentID == id {
			v.Add("parent_id", "is the department itself")
			isCycle = true
		} else if ancestors, err := s.store.DepartmentAncestors(ctx, tenant, p.ParentID); err != nil {
			if err := missing(&v, "parent_id", err); err != nil {
				return err
			}
		} else if id != "" && slices.Contains(ancestors, id) {
			v.Add("parent_id", "lies inside the department's own subtree")
			isCycle = true
		}
	}
	if ref(&v, "head_id", p.HeadID) {
		if _, err := s.store.Employee(ctx, tenant, p.HeadID); err != nil {
			if err := missing(&v, "head_id", err); err != nil {
				return err
			}
		}
	}
	if isCycle {
		return cycle("department", &v)
	}
	return v.Err()
}

func (p DepartmentParams) normalised() DepartmentParams {
	p.Name = strings.TrimSpace(p.Name)
	return p
}

// CreateDepartment adds a department (PermOrgWrite). Its name must be
// unique among its siblings (else ErrConflict); the parent and head must
// exist in the tenant.
func (s *Service) CreateDepartment(ctx context.Context, p DepartmentParams) (Department, error) {
	p = p.normalised()
	var out Department
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermOrgWrite)
		if err != nil {
			return err
		}
		if err := s.checkDepartment(ctx, pr.Tenant, "", p); err != nil {
			return err
		}
		now := s.now()
		out = Department{ID: ballast.NewID(), Name: p.Name, ParentID: p.ParentID, HeadID: p.HeadID,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.store.InsertDepartments(ctx, pr.Tenant, []Department{out}); err != nil {
			return err
		}
		return s.record(ctx, "hr.department.create", "department", out.ID, nil, out)
	})
	if err != nil {
		return Department{}, fmt.Errorf("hr: create department: %w", err)
	}
	return out, nil
}

// UpdateDepartment replaces a department's name, parent and head
// (PermOrgWrite); version is the version read (stale: ErrConflict). Moving
// it under itself or its own subtree gives ErrCycle.
func (s *Service) UpdateDepartment(ctx context.Context, id string, p DepartmentParams, version int64) (Department, error) {
	p = p.normalised()
	var out Department
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermOrgWrite)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		before, err := s.store.Department(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion(version, before.Version)
		}
		if err := s.checkDepartment(ctx, pr.Tenant, id, p); err != nil {
			return err
		}
		out = before
		out.Name, out.ParentID, out.HeadID = p.Name, p.ParentID, p.HeadID
		out.UpdatedAt, out.Version = s.now(), before.Version+1
		if err := s.store.UpdateDepartment(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, "hr.department.update", "department", id, before, out)
	})
	if err != nil {
		return Department{}, fmt.Errorf("hr: update department %s: %w", id, err)
	}
	return out, nil
}

// DeleteDepartment deletes an empty department (PermOrgWrite); one with
// sub-departments, positions or employees (departed ones included) gives
// ErrConflict.
func (s *Service) DeleteDepartment(ctx context.Context, id string, version int64) error {
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermOrgWrite)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		before, err := s.store.Department(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion(version, before.Version)
		}
		if err := s.store.DeleteDepartment(ctx, pr.Tenant, id, version); err != nil {
			return err
		}
		return s.record(ctx, "hr.department.delete", "department", id, before, nil)
	})
	if err != nil {
		return fmt.Errorf("hr: delete department %s: %w", id, err)
	}
	return nil
}

// Department returns one department (PermOrgRead).
func (s *Service) Department(ctx context.Context, id string) (Department, error) {
	pr, _, err := s.begin(ctx, PermOrgRead)
	if err == nil {
		err = ballast.CheckID("id", id)
	}
	if err != nil {
		return Department{}, fmt.Errorf("hr: department %s: %w", id, err)
	}
	d, err := s.store.Department(ctx, pr.Tenant, id)
	if err != nil {
		return Department{}, fmt.Errorf("hr: department %s: %w", id, err)
	}
	return d, nil
}

// Departments returns every department of the tenant, ordered by name
// (PermOrgRead).
func (s *Service) Departments(ctx context.Context) ([]Department, error) {
	pr, _, err := s.begin(ctx, PermOrgRead)
	if err != nil {
		return nil, fmt.Errorf("hr: departments: %w", err)
	}
	ds, err := s.store.Departments(ctx, pr.Tenant)
	if err != nil {
		return nil, fmt.Errorf("hr: departments: %w", err)
	}
	return ds, nil
}

// DepartmentTree returns the roots of the department tree, ordered by
// name, each with its subtree and headcounts (PermOrgRead). Two
// queries, whatever the size of the tree.
func (s *Service) DepartmentTree(ctx context.Context) ([]*DepartmentNode, error) {
	pr, _, err := s.begin(ctx, PermOrgRead)
	if err != nil {
		return nil, fmt.Errorf("hr: department tree: %w", err)
	}
	ds, err := s.store.Departments(ctx, pr.Tenant)
	if err != nil {
		return nil, fmt.Errorf("hr: department tree: %w", err)
	}
	counts, err := s.store.Headcounts(ctx, pr.Tenant)
	if err != nil {
		return nil, fmt.Errorf("hr: department tree: %w", err)
	}
	return buildTree(ds, counts), nil
}

// buildTree links ds (ordered by name) into trees. A department whose
// parent is missing is treated as a root.
func buildTree(ds []Department, counts map[string]int) []*DepartmentNode {
	nodes := make(map[string]*DepartmentNode, len(ds))
	for _, d := range ds {
		nodes[d.ID] = &DepartmentNode{Department: d, Headcount: counts[d.ID]}
	}
	var roots []*DepartmentNode
	for _, d := range ds {
		n := nodes[d.ID]
		if parent, ok := nodes[d.ParentID]; ok && d.ParentID != "" {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	var total func(n *DepartmentNode) int
	total = func(n *DepartmentNode) int {
		n.TotalHeadcount = n.Headcount
		for _, c := range n.Children {
			n.TotalHeadcount += total(c)
		}
		return n.TotalHeadcount
	}
	for _, r := range roots {
		total(r)
	}
	return roots
}

// departmentPaths maps department IDs to their paths ("Company/Sales/East")
// and back.
func departmentPaths(ds []Department) (byID map[string]string, byPath map[string]string) {
	parent := make(map[string]Department, len(ds))
	for _, d := range ds {
		parent[d.ID] = d
	}
	byID = make(map[string]string, len(ds))
	byPath = make(map[string]string, len(ds))
	for _, d := range ds {
		segs := []string{d.Name}
		for cur, n := d, 0; cur.ParentID != "" && n < len(ds); n++ {
			p, ok := parent[cur.ParentID]
			if !ok {
				break
			}
			segs = append(segs, p.Name)
			cur = p
		}
		slices.Reverse(segs)
		path := strings.Join(segs, "/")
		byID[d.ID] = path
		byPath[path] = d.ID
	}
	return byID, byPath
}
