// Opaque, signed pagination cursors: a client can hold and replay one, but not forge or edit
// one, because the index trusts the sort key inside it.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "search/query.hpp"

namespace griha::search {

class CursorCodec {
 public:
  // key: the HMAC-SHA-256 key; at least 16 bytes.
  explicit CursorCodec(std::string key);
  std::string encode(const Cursor& c) const;
  // A cursor that does not verify is a validation error on the field "cursor".
  Result<Cursor> decode(std::string_view text) const;

 private:
  std::string key_;
};

}  // namespace griha::search
