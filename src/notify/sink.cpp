#include "notify/sink.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>

namespace griha::notify {

void append_to_sink(const std::string& file, const boost::json::object& message) {
  if (file.empty()) return;
  const std::string line = boost::json::serialize(message) + "\n";
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    spdlog::warn("message sink {}: {}", file, std::strerror(errno));
    return;
  }
  if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    spdlog::warn("message sink {}: short write", file);
  ::close(fd);
}

}  // namespace griha::notify
