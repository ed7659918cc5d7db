// Where uploaded media files live: an interface over "put, get, remove bytes by key" so that
// object storage can replace the local directory later without touching the listing code.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace griha::storage {

// Keys are relative paths such as "3f/9a0c...-800.webp": lower-case letters, digits, '-',
// '_', '.' and '/' separated segments that never start with a dot. Every call blocks.
class MediaStore {
 public:
  virtual ~MediaStore() = default;
  // Writes `bytes` under `key`, replacing nothing: readers see the whole file or none.
  virtual Result<void> put(std::string_view key, std::string_view bytes) = 0;
  // nullopt when nothing is stored under `key` (or the key is not a valid one).
  virtual Result<std::optional<std::string>> get(std::string_view key) = 0;
  // Removing what is not there is not an error.
  virtual Result<void> remove(std::string_view key) = 0;
};

bool valid_media_key(std::string_view key);

// Files under a directory (`<data_dir>/media`), written to a temporary name and renamed into
// place so that a crash never leaves a half-written file at a served path.
class LocalMediaStore final : public MediaStore {
 public:
  explicit LocalMediaStore(std::filesystem::path root) : root_(std::move(root)) {}
  Result<void> put(std::string_view key, std::string_view bytes) override;
  Result<std::optional<std::string>> get(std::string_view key) override;
  Result<void> remove(std::string_view key) override;

 private:
  std::filesystem::path root_;
};

}  // namespace griha::storage
