#include "saved/unsubscribe_token.hpp"

#include <charconv>

namespace griha::saved {

UnsubscribeTokens::UnsubscribeTokens(std::string_view key) : tokens_("saved.unsubscribe", key) {}

std::string UnsubscribeTokens::sign(std::int64_t saved_search_id) const {
  return tokens_.sign(std::to_string(saved_search_id));
}

std::optional<std::int64_t> UnsubscribeTokens::verify(std::string_view token) const {
  const auto v = tokens_.verify(token, 0, 64);
  if (!v) return std::nullopt;
  const std::string& id_text = v->payload;
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc{} || end != id_text.data() + id_text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace griha::saved
