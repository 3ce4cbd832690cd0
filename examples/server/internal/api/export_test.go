package api

import "net/http"

// RoutePatterns lists the patterns of the route table, for tests.
func RoutePatterns() []string {
	s := &server{}
	var out []string
	for _, rt := range s.routes() {
		out = append(out, rt.pattern())
	}
	return out
}

// Mux returns the handler's ServeMux (without the auth middleware), for
// tests that ask it which pattern serves a request.
func (h *Handler) Mux() *http.ServeMux { return h.mux }
