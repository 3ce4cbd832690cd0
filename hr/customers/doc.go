// Package customers keeps customer records as company assets rather than a
// salesperson's private address book: a structured archive (name,
// industry, region, tier, annual value, contacts, deals, needs,
// follow-ups) held by an owning employee, visible only to those entitled,
// never bulk-exported without permission, never physically deleted, with
// every change in the audit chain and snapshots that show what changed
// while someone was on notice.
//
// # Who sees and changes what
//
// The Service computes a Scope from the principal's permissions and every
// store query applies it (nothing is loaded and then filtered):
//
//	customers:read:all          every customer of the tenant (HR, admins)
//	customers:read:department   customers owned in the departments one heads, and below
//	customers:read              the customers one owns (every employee)
//
// A customer outside the scope does not exist for the principal: Get,
// Update, History… return ballast.ErrNotFound. Changes:
//
//   - Create needs customers:write; the owner is the acting employee, or
//     another one with customers:transfer.
//   - Update needs customers:write and the principal must own the customer
//     or be a custodian (customers:read:all together with customers:write:
//     HR and admins). A department head may read their department's
//     customers but not edit them (ErrForbidden).
//   - Transfer and TransferMany need customers:transfer; the new owner must
//     be an active employee of the tenant.
//   - Archive, Unarchive and Restore are for custodians only, not owners:
//     a departing salesperson cannot make customers disappear.
//   - Export needs customers:export and is itself an audit entry (who, how
//     many rows, which filter).
//
// Owners from another tenant, departed owners, tiers outside Tiers,
// negative amounts and malformed emails get a *ballast.ValidationError
// listing every bad field, and nothing is written.
//
// # Search
//
// Filter.Query matches name, contact names, needs and follow-up notes by
// substring, case-insensitively, in any script: the store keeps each
// customer's character bigrams in an index (see Grams), finds the
// customers holding all of the query's bigrams and confirms them with a
// substring test. "华为" finds "深圳华为技术有限公司" and "三丰" finds the
// contact "张三丰".
//
// # Snapshots
//
// TakeSnapshot copies an owner's customers (or the tenant's) with every
// field; SnapshotDue takes the tenant-wide daily one (the reference server
// calls it on a timer, once per tenant and day however often it runs).
// Diff and DiffWithCurrent list customers added, archived, removed and
// every field altered; Restore brings customers back to a snapshot's
// state, with audit entries.
//
// # Wiring
//
//	svc, err := customers.New(customers.Config{
//		Store: db.Customers(), Tx: db, Auth: enforcer, Audit: auditLog,
//		Employees: db.HR(), Departments: db.HR(), Tenants: db.HR(),
//	})
//	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: t, Subject: employeeID, Kind: ballast.KindUser})
//	c, err := svc.Create(ctx, customers.Params{Name: "深圳华为技术有限公司", Tier: customers.TierKey})
//	page, err := svc.List(ctx, customers.Filter{Query: "华为"})
package customers
