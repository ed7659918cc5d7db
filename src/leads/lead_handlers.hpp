// HTTP handlers for inquiries, the lead pipeline, agencies and the admin dashboards' stats:
// thin — parse, call LeadService on the worker pool, shape the JSON (or CSV).
#pragma once

#include "core/worker_pool.hpp"
#include "http/types.hpp"
#include "leads/lead_service.hpp"

namespace griha::leads {

// Handlers capture the service and pool by reference, not this struct: it may be a temporary.
struct LeadHandlers {
  LeadService& service;
  WorkerPool& workers;

  http::Handler inquire() const;               // POST /api/v1/listings/{id}/inquiries
  http::Handler request_contact_code() const;  // POST /api/v1/inquiries/contact/verify-request
  http::Handler verify_contact_code() const;   // POST /api/v1/inquiries/contact/verify
  http::Handler my_inquiries() const;          // GET /api/v1/me/inquiries
  http::Handler my_leads() const;              // GET /api/v1/me/leads
  http::Handler my_lead_stats() const;         // GET /api/v1/me/leads/stats
  http::Handler export_leads() const;          // GET /api/v1/me/leads/export
  http::Handler get() const;                   // GET /api/v1/leads/{id}
  http::Handler update() const;                // PATCH /api/v1/leads/{id}
  http::Handler add_note() const;              // POST /api/v1/leads/{id}/notes
  http::Handler agency_agents() const;         // GET /api/v1/me/agency/agents
  http::Handler create_agency() const;         // POST /api/v1/admin/agencies
  http::Handler set_user_agency() const;       // PUT /api/v1/admin/users/{id}/agency
  http::Handler admin_leads() const;           // GET /api/v1/admin/leads
  http::Handler admin_stats() const;           // GET /api/v1/admin/stats
};

}  // namespace griha::leads
