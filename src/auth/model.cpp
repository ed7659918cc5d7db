#include "auth/model.hpp"

#include <array>
#include <cctype>

namespace griha::auth {
bool is_role(std::string_view role) {
  return role_from_string(role).has_value();
}

bool is_self_service_role(std::string_view role) {
  const auto r = role_from_string(role);
  return r && is_self_service(*r);
}

bool is_status(std::string_view s) {
  return s == "active" || s == "locked" || s == "deleted";
}

std::optional<std::string> normalize_email(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front())))
    email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back())))
    email.remove_suffix(1);
  if (email.size() < 3 || email.size() > 254) return std::nullopt;
  const auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos)
    return std::nullopt;
  const auto domain = email.substr(at + 1);
  if (at > 64 || domain.empty() || domain.find('.') == std::string_view::npos ||
      domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return std::nullopt;
  std::string out;
  for (char c : email) {
    const auto u = static_cast<unsigned char>(c);
    // No spaces, controls, quotes or angle brackets: they have no place in the addresses we
    // accept and would be trouble in mail headers.
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '<' || c == '>' || c == '(' || c == ')' ||
        c == ',' || c == ';' || c == ':' || c == '\\' || c == '[' || c == ']')
      return std::nullopt;
    out += static_cast<char>(std::tolower(u));
  }
  return out;
}

std::optional<std::string> normalize_indian_mobile(std::string_view phone) {
  std::string digits;
  bool plus = false;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      digits += c;
    else if (c == '+' && digits.empty() && !plus)
      plus = true;
    else if (c != ' ' && c != '-' && c != '(' && c != ')')
      return std::nullopt;
  }
  if (plus) {
    if (digits.size() != 12 || !digits.starts_with("91")) return std::nullopt;
    digits.erase(0, 2);
  } else if (digits.size() == 12 && digits.starts_with("91")) {
    digits.erase(0, 2);
  } else if (digits.size() == 11 && digits.front() == '0') {
    digits.erase(0, 1);
  }
  if (digits.size() != 10 || digits.front() < '6') return std::nullopt;
  return "+91" + digits;
}

bool plausible_rera_number(std::string_view rera) {
  if (rera.size() < 5 || rera.size() > 50) return false;
  for (char c : rera)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '-' && c != '.')
      return false;
  return true;
}

}  // namespace griha::auth
