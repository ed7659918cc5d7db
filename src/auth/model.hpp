// Accounts as the rest of auth sees them: users, roles, sessions, and the rules for what
// an email address or an Indian mobile number may look like.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "core/principal.hpp"

namespace griha::auth {

// Role names as stored and sent (core/principal.hpp defines the roles).
bool is_role(std::string_view role);
// Roles a person may pick for themselves at registration.
bool is_self_service_role(std::string_view role);
bool is_status(std::string_view status);

struct User {
  std::int64_t id = 0;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::string name;
  std::string role = "seeker";
  std::string status = "active";
  std::optional<std::string> password_hash;
  bool email_verified = false;
  bool phone_verified = false;
  std::optional<std::string> agency;
  std::optional<std::string> rera_number;
  std::string created_at;
  std::string updated_at;
};

struct Session {
  std::string id;
  std::string created_at;
  std::string last_used_at;
  std::string expires_at;
  std::string user_agent;
  std::string ip;
};

// Lower-cased and trimmed; nullopt when it is not a plausible address.
std::optional<std::string> normalize_email(std::string_view email);
// "+91" and the 10 digits, from "98765 43210", "098765-43210", "+91 98765 43210", ...
// Indian mobile numbers start with 6, 7, 8 or 9.
std::optional<std::string> normalize_indian_mobile(std::string_view phone);
// RERA agent registration numbers differ by state: letters, digits and / - . only.
bool plausible_rera_number(std::string_view rera);

}  // namespace griha::auth
