// Opaque, signed pagination cursors: a client can hold and replay one, but not forge or edit
// one, because the index trusts the sort key inside it. Signed with core's SignedTokens
// (purpose "search.cursor"), with no expiry.
#pragma once

#include <string>
#include <string_view>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "search/query.hpp"

namespace griha::search {

class CursorCodec {
 public:
  // key: config search.cursor_key, at least 16 bytes; empty draws a random key for this
  // process (cursors then work on this node only, until it restarts).
  explicit CursorCodec(std::string_view key);
  std::string encode(const Cursor& c) const;
  // A cursor that does not verify is a validation error on the field "cursor".
  Result<Cursor> decode(std::string_view text) const;

 private:
  SignedTokens tokens_;
};

}  // namespace griha::search
