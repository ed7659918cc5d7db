#include "storage/media_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace griha::storage {
namespace {

Error invalid_key(std::string_view key) {
  return Error::internal("media store: invalid key '" + std::string(key) + "'");
}

Error io_error(const std::string& what, const std::filesystem::path& path) {
  return Error::unavailable("media store: " + what + " " + path.string() + ": " +
                            std::strerror(errno));
}

}  // namespace

bool valid_media_key(std::string_view key) {
  if (key.empty() || key.size() > 200) return false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= key.size(); ++i) {
    if (i == key.size() || key[i] == '/') {
      if (i == start || key[start] == '.') return false;  // empty, ".", ".." or hidden
      start = i + 1;
      continue;
    }
    const char c = key[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  }
  return true;
}

Result<void> LocalMediaStore::put(std::string_view key, std::string_view bytes) {
  if (!valid_media_key(key)) return invalid_key(key);
  const auto path = root_ / key;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec)
    return Error::unavailable("media store: mkdir " + path.parent_path().string() + ": " +
                              ec.message());
  // A hidden temporary name: never a valid key, so never served while incomplete.
  const auto tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("open", tmp);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      auto e = io_error("write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    done += static_cast<std::size_t>(n);
  }
  // The database row that names this file commits after put() returns, so the bytes must be
  // durable first.
  const bool synced = ::fsync(fd) == 0;
  if (::close(fd) != 0 || !synced) {
    auto e = io_error("fsync", tmp);
    ::unlink(tmp.c_str());
    return e;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto e = io_error("rename", path);
    ::unlink(tmp.c_str());
    return e;
  }
  return {};
}

Result<std::optional<std::string>> LocalMediaStore::get(std::string_view key) {
  if (!valid_media_key(key)) return std::optional<std::string>{};
  const auto path = root_ / key;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::optional<std::string>{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("open", path);
  std::ostringstream out;
  out << in.rdbuf();
  return std::optional<std::string>(std::move(out).str());
}

Result<void> LocalMediaStore::remove(std::string_view key) {
  if (!valid_media_key(key)) return invalid_key(key);
  std::error_code ec;
  std::filesystem::remove(root_ / key, ec);
  if (ec)
    return Error::unavailable("media store: remove " + std::string(key) + ": " + ec.message());
  return {};
}

}  // namespace griha::storage
