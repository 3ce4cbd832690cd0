// Package talent holds no code of its own: it names the sub-packages that
// find, develop and agree the future of the company's next managers. Each
// sub-package has its own Service built with New(Config{…}), its own Store
// (implemented by package storage and checked by storage/storetest) and
// errors of the ballast kinds, like the other domain packages.
//
//   - talent/jobdesc: job-description templates (duties, core
//     competencies with expected levels, promotion path, free sections)
//     published by HR, department versions derived from them, inline
//     comments, an approval flow per revision and a diff between any two
//     revisions.
//   - talent/training: courses, sessions, enrolment, attendance, exam
//     scores, certificates and the effect of training.
//   - talent/mentoring: mentors, mentees, goals, the meetings log and
//     mentor effectiveness.
//   - talent/pools: talent pools whose rules are data (an and/or tree over
//     performance rank, grade streaks, management experience, career plan,
//     certifications, tenure…), screened in SQL with the values behind each
//     match and near-miss; members with their history.
//   - talent/succession: critical positions, successors with readiness on
//     the tenant's scale, coverage, the 9-box and its SVG.
//
// Still to come: talent/plans (development plans from templates) and
// talent/pipeline (staged reviews ending in a recommendation).
//
// The permissions are those of access's built-in roles: talent:manage (HR),
// talent:read:department and talent:write:department (department heads,
// for the departments they head and those below them), talent:read (an
// employee's own data) and talent:self (employee self-service).
package talent
