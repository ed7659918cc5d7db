// Site visits without HTTP: the CPU cost of generating a month of slots and of one calendar
// invite, and one whole booking transaction (VisitService::book: checks, the conditional slot
// update, the visit, two invites, two reminders and an in-app notification, committed) on a
// SQLite file with WAL and synchronous=FULL, one booking after another, no dispatcher running.
// bench/bookings.sh measures the same over HTTP with the dispatcher, on both databases.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <boost/json.hpp>
#include <filesystem>

#include "listings/gazetteer.hpp"
#include "listings/listing_service.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "visits/availability.hpp"
#include "visits/ics.hpp"
#include "visits/visit_service.hpp"

namespace {

using namespace griha;

visits::Availability every_day(int slot_minutes, int visitors) {
  boost::json::array windows;
  for (int d = 0; d < 7; ++d)
    windows.push_back({{"day", visits::day_name(d)}, {"start", "08:00"}, {"end", "20:00"}});
  return visits::parse_availability({{"slot_minutes", slot_minutes},
                                     {"visitors_per_slot", visitors},
                                     {"windows", windows}})
      .value();
}

void BM_GenerateThirtyDaysOfSlots(benchmark::State& state) {
  const auto a = every_day(15, 4);
  const auto from = *visits::parse_date("2026-11-23");
  for (auto _ : state) benchmark::DoNotOptimize(visits::generate_slots(a, from, 30));
  state.SetLabel("7 windows of 12 h, 15-minute slots: 1440 slots");
}
BENCHMARK(BM_GenerateThirtyDaysOfSlots)->Unit(benchmark::kMicrosecond);

void BM_MakeIcs(benchmark::State& state) {
  visits::Invite i;
  i.uid = "visit-0123456789abcdef@griha";
  i.start = 1'800'000'000;
  i.end = i.start + 1800;
  i.stamp = i.start - 86400;
  i.summary = "Site visit: Bright 2 BHK in Baner";
  i.description = "Site visit booked through Griha.\nListing: https://griha.example/listings/7";
  i.location = "Baner, Pune";
  i.organizer = {"no-reply@griha.example", "Griha"};
  i.attendees = {{"owner@example.in", "Asha Rao"}, {"seeker@example.in", "Ravi Kumar"}};
  for (auto _ : state) benchmark::DoNotOptimize(visits::make_ics(i));
}
BENCHMARK(BM_MakeIcs)->Unit(benchmark::kMicrosecond);

void BM_BookVisitSqlite(benchmark::State& state) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("griha-visits-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    storage::DatabaseOptions o;
    o.url = "sqlite://" + (dir / "bench.db").string();
    auto db = storage::Database::open(o).value();
    storage::migrate(*db).value();
    const auto gazetteer = listings::Gazetteer::load().value();
    std::time_t now = *visits::parse_instant("2026-11-23T00:00:00Z");
    const Clock clock = [&now] { return now; };
    listings::ListingService listings(*db, gazetteer, listings::ListingOptions{90}, clock);
    visits::VisitService service(*db, listings, gazetteer, visits::VisitOptions{}, clock);
    auto user = [&](const std::string& role, int n) {
      static constexpr storage::Query k_insert{
          "bench.insert_user",
          "INSERT INTO users (email, name, role, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $4) RETURNING id"};
      return Principal{
          db->exec(k_insert, storage::params(role + std::to_string(n) + "@example.in",
                                             "Bench " + role, role, "2026-01-01T00:00:00Z"))
              .value()
              .rows.at(0)
              .i64(0),
          *role_from_string(role)};
    };
    const auto owner = user("owner", 0), admin = user("admin", 0), seeker = user("seeker", 0);
    const auto* city = gazetteer.city_by_name_or_slug("Pune");
    boost::json::object body = boost::json::parse(R"({
      "transaction":"sale_resale","property_type":"apartment","title":"Bright 2 BHK in Baner",
      "description":"A bright flat near the highway, with covered parking and good light.",
      "bhk":2,"bathrooms":2,"carpet_area_sqft":900,"price":9500000})")
                                   .as_object();
    body["city_id"] = city->id;
    body["locality_id"] = gazetteer.find_locality(city->id, "Baner")->id;
    // One seeker books slot after slot: 48 a day for 50 days per listing.
    std::vector<std::int64_t> ids;
    std::int64_t i = 0;
    const auto first_day = *visits::parse_date("2026-11-25");
    for (auto _ : state) {
      const auto n = static_cast<std::size_t>(i / 2400);
      if (n == ids.size()) {
        state.PauseTiming();
        auto l = listings.create(owner, body).value();
        listings.submit(owner, l.id).value();
        listings.approve(admin, l.id).value();
        service.set_availability(owner, l.id, every_day(15, 4)).value();
        ids.push_back(l.id);
        state.ResumeTiming();
      }
      const auto day = first_day + std::chrono::days((i % 2400) / 48);
      const auto start = visits::local_to_utc(day, 8 * 60 + static_cast<int>(i % 48) * 15);
      auto r = service.book(seeker, ids[n], start, "bench");
      if (!r) state.SkipWithError(r.error().code.c_str());
      ++i;
    }
    state.SetLabel("file SQLite, WAL, synchronous=FULL; no dispatcher");
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_BookVisitSqlite)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
