// Request metrics in Prometheus text format: requests by route and status, and latency
// histograms by route. Recording is lock-free (relaxed atomics in fixed arrays) because it
// sits on every request's path.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace griha::http {

class Metrics {
 public:
  // One slot per route pattern, plus one for requests that matched no route.
  explicit Metrics(std::vector<std::string> route_names);

  static constexpr std::size_t k_unmatched = static_cast<std::size_t>(-1);
  void record(std::size_t route, unsigned status, std::chrono::nanoseconds elapsed);

  // Requests being handled now (parsed, response not yet written).
  void request_started() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void request_finished() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  // Extra text appended by other components (database pool, process) at scrape time.
  void add_collector(std::function<void(std::string&)> collector);
  std::string render() const;

 private:
  static constexpr std::array<double, 12> k_buckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5};
  static constexpr std::array<unsigned, 22> k_statuses = {200, 201, 202, 204, 206, 301, 302, 304,
                                                          400, 401, 403, 404, 405, 409, 412, 413,
                                                          415, 422, 429, 431, 500, 503};
  struct Slot {
    std::array<std::atomic<std::uint64_t>, k_statuses.size() + 1> by_status{};  // +1: other
    std::array<std::atomic<std::uint64_t>, k_buckets.size() + 1> buckets{};     // +1: +Inf
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::atomic<std::int64_t> in_flight_{0};
  std::vector<std::string> names_;
  std::unique_ptr<Slot[]> slots_;
  std::vector<std::function<void(std::string&)>> collectors_;
};

// Resident and virtual memory of this process, for /metrics.
void append_process_metrics(std::string& out);

}  // namespace griha::http
