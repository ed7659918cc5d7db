// RFC 9457 problem+json: the only way errors leave the server. ErrorKind -> status lives here.
#pragma once

#include <optional>

#include "core/error.hpp"
#include "http/types.hpp"

namespace griha::http {

bhttp::status status_for(ErrorKind kind);

// The response for an error; `instance` is the request path. Detail never leaves the server.
// `status` overrides the kind's status for protocol-level problems (405, 431).
Response problem_response(const Error& error, std::string_view instance,
                          std::optional<bhttp::status> status = std::nullopt);

}  // namespace griha::http
