// The search index on 1M synthetic listings: build time, memory per listing, and the server
// time of one page (results + total + 3 facets) for each kind of query in the benchmark's mix,
// on one core. Prints JSON; bench/search_index.sh adds machine facts and records it.
//   search_bench [listings=1000000] [pages_per_kind=2000] [only_this_kind]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "search/index.hpp"

using namespace griha::search;
using Clock = std::chrono::steady_clock;

namespace {

struct City {
  const char* name;
  float lat, lng;
  double sale_per_sqft;  // typical rupees per sq ft
  int localities;
};
// Price levels are rough market figures; what matters is their spread between cities.
const City k_cities[] = {
    {"Mumbai", 19.076f, 72.877f, 26000, 40},    {"Delhi", 28.613f, 77.209f, 15000, 40},
    {"Bengaluru", 12.971f, 77.594f, 9000, 40},  {"Hyderabad", 17.385f, 78.486f, 7500, 35},
    {"Chennai", 13.082f, 80.270f, 8000, 35},    {"Pune", 18.520f, 73.856f, 8500, 35},
    {"Kolkata", 22.572f, 88.363f, 6500, 30},    {"Ahmedabad", 23.022f, 72.571f, 5500, 30},
    {"Gurugram", 28.459f, 77.026f, 12000, 30},  {"Noida", 28.535f, 77.391f, 8000, 25},
    {"Jaipur", 26.912f, 75.787f, 5000, 25},     {"Lucknow", 26.846f, 80.946f, 5000, 25},
    {"Chandigarh", 30.733f, 76.779f, 7000, 20}, {"Kochi", 9.931f, 76.267f, 6000, 20},
    {"Indore", 22.719f, 75.857f, 4500, 20}};
constexpr int k_city_count = 15;

const char* k_adjectives[] = {
    "spacious",        "well-ventilated", "sunny",   "corner",     "modern",
    "newly renovated", "vastu compliant", "premium", "affordable", "luxurious",
    "east facing",     "park facing",     "quiet",   "gated"};
const char* k_features[] = {"modular kitchen", "wooden flooring",   "marble flooring",
                            "covered parking", "servant room",      "pooja room",
                            "study room",      "large balcony",     "city view",
                            "lake view",       "24x7 water supply", "power backup",
                            "close to metro",  "near school",       "near hospital",
                            "walk to market",  "club house access", "children's play area"};
const char* k_type_words[] = {"Apartment", "Independent House", "Villa", "Builder Floor", "Plot",
                              "Studio",    "Penthouse",         "PG",    "Office",        "Shop",
                              "Warehouse"};

int weighted(std::mt19937_64& rng, std::initializer_list<int> weights) {
  int total = 0;
  for (int w : weights) total += w;
  int x = static_cast<int>(rng() % static_cast<unsigned>(total));
  int i = 0;
  for (int w : weights) {
    if (x < w) return i;
    x -= w;
    ++i;
  }
  return i - 1;
}

struct Locality {
  std::uint32_t id;
  std::string name;
  float lat, lng;
  double price_factor;
};

std::vector<std::vector<Locality>> make_localities(std::mt19937_64& rng) {
  std::vector<std::vector<Locality>> out(k_city_count);
  std::uint32_t next = 1;
  for (int c = 0; c < k_city_count; ++c) {
    for (int i = 0; i < k_cities[c].localities; ++i) {
      const float dlat = static_cast<float>(static_cast<int>(rng() % 2001) - 1000) * 0.00015f;
      const float dlng = static_cast<float>(static_cast<int>(rng() % 2001) - 1000) * 0.00015f;
      const double factor = 0.5 + static_cast<double>(rng() % 1000) / 700.0;
      out[c].push_back({next++, std::string(k_cities[c].name) + " Sector " + std::to_string(i + 1),
                        k_cities[c].lat + dlat, k_cities[c].lng + dlng, factor});
    }
  }
  return out;
}

std::vector<Document> make_documents(std::size_t n, const std::vector<std::vector<Locality>>& loc,
                                     std::mt19937_64& rng) {
  const std::int64_t now = 1'750'000'000;
  std::vector<Document> docs(n);
  for (std::size_t i = 0; i < n; ++i) {
    Document& d = docs[i];
    d.id = static_cast<std::int64_t>(i + 1);
    const int c = weighted(rng, {14, 12, 13, 9, 8, 9, 6, 5, 6, 5, 4, 4, 3, 3, 3});
    const Locality& l = loc[c][rng() % loc[c].size()];
    d.city_id = static_cast<std::uint32_t>(c + 1);
    d.locality_id = l.id;
    d.project_id = rng() % 3 == 0 ? static_cast<std::uint32_t>(l.id * 100 + rng() % 20) : 0;
    d.transaction = static_cast<Transaction>(weighted(rng, {15, 45, 37, 3}));
    d.property_type = static_cast<PropertyType>(weighted(rng, {62, 8, 5, 9, 4, 3, 1, 2, 3, 2, 1}));
    const int bhk_n = weighted(rng, {4, 16, 37, 32, 8, 3});
    d.bhk = static_cast<std::uint8_t>(bhk_n);
    d.bathrooms = static_cast<std::uint8_t>(std::max(1, bhk_n + static_cast<int>(rng() % 2)));
    d.area_sqft = static_cast<std::uint32_t>((bhk_n == 0 ? 300 : 450 * bhk_n) *
                                             (0.8 + static_cast<double>(rng() % 600) / 1000.0));
    const double per_sqft = k_cities[c].sale_per_sqft * l.price_factor *
                            (0.85 + static_cast<double>(rng() % 300) / 1000.0);
    const bool rent = d.transaction == Transaction::rent || d.transaction == Transaction::lease;
    d.price = rent ? static_cast<std::int64_t>(per_sqft * d.area_sqft / 300 / 500) * 500
                   : static_cast<std::int64_t>(per_sqft * d.area_sqft / 10'000) * 10'000;
    d.price_per_sqft = derive_price_per_sqft(d.price, d.area_sqft);
    d.furnishing = static_cast<Furnishing>(weighted(rng, {25, 40, 35}));
    d.ready_to_move = d.transaction != Transaction::sale_new || rng() % 3 == 0;
    d.possession_days = *d.ready_to_move ? 0 : 20'300 + static_cast<int>(rng() % 1500);
    d.posted_by = static_cast<PostedBy>(weighted(rng, {45, 45, 10}));
    for (int a = 0; a < 24; ++a) {
      if (rng() % 100 < 35) d.amenities |= std::uint64_t{1} << a;
    }
    d.verified = rng() % 100 < 40;
    d.has_photos = rng() % 100 < 80;
    d.facing = static_cast<Facing>(rng() % k_facing_count);
    d.total_floors = static_cast<std::int16_t>(1 + rng() % 30);
    const int floor_n = static_cast<int>(rng() % (d.total_floors + 1));
    d.floor = static_cast<std::int16_t>(floor_n);
    d.tenant_preference = static_cast<TenantPreference>(weighted(rng, {50, 30, 12, 8}));
    d.pets_allowed = rng() % 100 < 30;
    d.posted_at = now - static_cast<std::int64_t>(rng() % (180 * 86400));
    d.rera_registered = d.transaction == Transaction::sale_new && rng() % 100 < 70;
    d.featured = rng() % 100 < 3;
    d.lat = l.lat + static_cast<float>(static_cast<int>(rng() % 2001) - 1000) * 0.00002f;
    d.lng = l.lng + static_cast<float>(static_cast<int>(rng() % 2001) - 1000) * 0.00002f;
    const std::string bhk = bhk_n == 0 ? "1 RK" : std::to_string(bhk_n) + " BHK";
    d.title = bhk + " " + k_type_words[static_cast<int>(d.property_type)] + " for " +
              (rent ? "Rent" : "Sale") + " in " + l.name;
    d.description = std::string("A ") + k_adjectives[rng() % 14] + " " + bhk + " home with " +
                    k_features[rng() % 18] + ", " + k_features[rng() % 18] + " and " +
                    k_features[rng() % 18] + ". " + k_adjectives[rng() % 14] + " neighbourhood, " +
                    std::to_string(floor_n) + " floor of " + std::to_string(d.total_floors) + ".";
    d.locality_name = l.name;
    if (d.project_id)
      d.project_name = "Project " + std::to_string(d.project_id % 100) + " Residency";
  }
  return docs;
}

struct Kind {
  const char* name;
  std::vector<Query> queries;
};

std::vector<Kind> make_mix(const std::vector<std::vector<Locality>>& loc, std::mt19937_64& rng) {
  const std::int64_t now = 1'750'000'000;
  std::vector<Kind> kinds{
      {"selective", {}}, {"broad", {}}, {"geo_radius", {}}, {"amenity", {}}, {"text", {}}};
  for (int i = 0; i < 64; ++i) {
    const int c = static_cast<int>(rng() % k_city_count);
    const auto& l = loc[c][rng() % loc[c].size()];
    Query base;
    base.now = now;
    base.city_id = static_cast<std::uint32_t>(c + 1);
    base.page_size = 20;
    base.facets = {Facet::bhk, Facet::property_type, Facet::locality};

    Query s = base;  // a buyer's budget search in one locality
    s.locality_ids = {l.id};
    s.transactions = {Transaction::sale_resale};
    s.bhk = {2};
    s.price = {static_cast<std::int64_t>(k_cities[c].sale_per_sqft * 600),
               static_cast<std::int64_t>(k_cities[c].sale_per_sqft * 1200)};
    s.sort = Sort::price_asc;
    kinds[0].queries.push_back(s);

    Query b = base;  // everything for rent in the city, default order
    b.transactions = {Transaction::rent};
    b.sort = Sort::relevance;
    b.facets = {Facet::bhk, Facet::property_type, Facet::price};
    kinds[1].queries.push_back(b);

    Query g = base;  // "near me": 3 km around a point, nearest first
    g.circle = Circle{{l.lat, l.lng}, 3000};
    g.bhk = {2, 3};
    g.sort = Sort::distance;
    kinds[2].queries.push_back(g);

    Query a = base;  // amenity-driven: gym, pool and lift, newest first
    a.amenities_all = (1u << 4) | (1u << 5) | (1u << 0);
    a.bhk = {2, 3};
    a.transactions = {Transaction::sale_new, Transaction::sale_resale};
    a.sort = Sort::newest;
    kinds[3].queries.push_back(a);

    Query t = base;  // free text with a typo and a prefix
    t.text = i % 2 ? "spacous 3 bhk clos" : "modular kitchen metro";
    t.sort = Sort::relevance;
    kinds[4].queries.push_back(t);
  }
  return kinds;
}

// CPU time of this thread: on a shared machine other processes preempt the benchmark, which
// inflates wall-clock means and tails but not the work a page costs.
double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const int pages = argc > 2 ? std::atoi(argv[2]) : 2000;
  const std::string only = argc > 3 ? argv[3] : "";
  std::mt19937_64 rng(2024);
  const auto localities = make_localities(rng);
  const auto gen_start = Clock::now();
  const auto docs = make_documents(n, localities, rng);
  const double gen_s = seconds_since(gen_start);

  IndexOptions opt;
  opt.cursor_key = "benchmark-cursor-key-0123456789";
  Index index(opt);
  const auto build_start = Clock::now();
  index.build(docs);
  const double build_s = seconds_since(build_start);
  const auto stats = index.stats();

  // Freshness: an edit is searchable when upsert returns.
  Document edited = docs[n / 2];
  edited.price += 1;
  const auto up_start = Clock::now();
  index.upsert(edited);
  const double upsert_ms = seconds_since(up_start) * 1000;

  const auto mix = make_mix(localities, rng);
  std::printf("{\n  \"listings\": %zu,\n  \"generate_s\": %.2f,\n  \"build_s\": %.3f,\n", n, gen_s,
              build_s);
  std::printf("  \"bytes_per_listing\": %.1f,\n  \"upsert_visible_ms\": %.3f,\n",
              static_cast<double>(stats.memory_bytes) / static_cast<double>(n), upsert_ms);
  std::printf("  \"page\": \"20 results + total + 3 facets, one core, no HTTP\",\n  \"kinds\": {");
  double mix_total_us = 0;
  bool first = true;
  int mix_kinds = 0;
  for (std::size_t k = 0; k < mix.size(); ++k) {
    const auto& kind = mix[k];
    if (!only.empty() && only != kind.name) continue;
    std::vector<double> us;
    std::uint64_t hits = 0;
    const double cpu_start = thread_cpu_s();
    for (int i = 0; i < pages; ++i) {
      const Query& q = kind.queries[static_cast<std::size_t>(i) % kind.queries.size()];
      const auto t = Clock::now();
      auto r = index.search(q);
      us.push_back(seconds_since(t) * 1e6);
      if (!r) {
        std::fprintf(stderr, "%s: %s\n", kind.name, r.error().code.c_str());
        return 1;
      }
      hits += r->total;
    }
    const double cpu_mean_us = (thread_cpu_s() - cpu_start) * 1e6 / pages;
    std::sort(us.begin(), us.end());
    double sum = 0;
    for (double v : us) sum += v;
    const double mean = sum / static_cast<double>(us.size());
    if (std::string(kind.name) != "text") {
      mix_total_us += mean;
      ++mix_kinds;
    }
    std::printf(
        "%s\n    \"%s\": {\"mean_us\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f, "
        "\"cpu_mean_us\": %.1f, \"mean_total\": %.0f}",
        first ? "" : ",", kind.name, mean, us[us.size() / 2], us[us.size() * 99 / 100], cpu_mean_us,
        static_cast<double>(hits) / pages);
    first = false;
  }
  std::printf("\n  },\n  \"mix_mean_us\": %.1f\n}\n", mix_total_us / mix_kinds);
  return 0;
}
