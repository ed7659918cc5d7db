#include "http/metrics.hpp"

#include <unistd.h>

#include <fstream>

namespace griha::http {

Metrics::Metrics(std::vector<std::string> route_names)
    : names_(std::move(route_names)), slots_(new Slot[names_.size() + 1]) {
  names_.push_back("unmatched");
}

void Metrics::record(std::size_t route, unsigned status, std::chrono::nanoseconds elapsed) {
  Slot& s = slots_[route == k_unmatched ? names_.size() - 1 : route];
  std::size_t si = k_statuses.size();
  for (std::size_t i = 0; i < k_statuses.size(); ++i)
    if (k_statuses[i] == status) si = i;
  s.by_status[si].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::size_t bi = 0;
  while (bi < k_buckets.size() && seconds > k_buckets[bi]) ++bi;
  s.buckets[bi].fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<std::uint64_t>(elapsed.count()), std::memory_order_relaxed);
}

void Metrics::add_collector(std::function<void(std::string&)> collector) {
  collectors_.push_back(std::move(collector));
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP griha_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE griha_http_requests_total counter\n";
  for (std::size_t r = 0; r < names_.size(); ++r) {
    const Slot& s = slots_[r];
    for (std::size_t i = 0; i <= k_statuses.size(); ++i) {
      const auto n = s.by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string status = i < k_statuses.size() ? std::to_string(k_statuses[i]) : "other";
      out += "griha_http_requests_total{route=\"" + names_[r] + "\",status=\"" + status + "\"} " +
             std::to_string(n) + "\n";
    }
  }
  out += "# HELP griha_http_request_duration_seconds Time from parsed request to response.\n";
  out += "# TYPE griha_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r < names_.size(); ++r) {
    const Slot& s = slots_[r];
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= k_buckets.size(); ++b) cumulative += s.buckets[b].load();
    if (cumulative == 0) continue;
    const std::string label = "griha_http_request_duration_seconds_bucket{route=\"" + names_[r];
    std::uint64_t running = 0;
    for (std::size_t b = 0; b < k_buckets.size(); ++b) {
      running += s.buckets[b].load(std::memory_order_relaxed);
      char le[32];
      std::snprintf(le, sizeof le, "%g", k_buckets[b]);
      out += label + "\",le=\"" + le + "\"} " + std::to_string(running) + "\n";
    }
    out += label + "\",le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
    char sum[64];
    std::snprintf(sum, sizeof sum, "%.9f", static_cast<double>(s.sum_ns.load()) / 1e9);
    out += "griha_http_request_duration_seconds_sum{route=\"" + names_[r] + "\"} " + sum + "\n";
    out += "griha_http_request_duration_seconds_count{route=\"" + names_[r] + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += "# HELP griha_http_requests_in_flight Requests being handled now.\n";
  out += "# TYPE griha_http_requests_in_flight gauge\n";
  out += "griha_http_requests_in_flight " + std::to_string(in_flight_.load()) + "\n";
  for (const auto& c : collectors_) c(out);
  return out;
}

void append_process_metrics(std::string& out) {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t pages_virtual = 0, pages_resident = 0;
  statm >> pages_virtual >> pages_resident;
  const auto page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n";
  out += "# TYPE process_resident_memory_bytes gauge\n";
  out += "process_resident_memory_bytes " + std::to_string(pages_resident * page) + "\n";
  out += "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n";
  out += "# TYPE process_virtual_memory_bytes gauge\n";
  out += "process_virtual_memory_bytes " + std::to_string(pages_virtual * page) + "\n";
}

}  // namespace griha::http
