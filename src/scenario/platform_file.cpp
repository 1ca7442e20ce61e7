#include "platform_file.hpp"

#include <expat.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "input_error.hpp"
#include "text.hpp"

namespace ipcsim::scenario {
namespace {

struct Unit {
  std::string_view suffix;
  double factor;
};

// Units SimGrid 3.32 reads in platform files; a subset, so that what passes here SimGrid
// reads the same way (a test runs a platform written with each of them).
constexpr std::array speed_units{Unit{"f", 1},     Unit{"kf", 1e3},  Unit{"Mf", 1e6}, Unit{"Gf", 1e9},
                                 Unit{"Tf", 1e12}, Unit{"Pf", 1e15}, Unit{"Ef", 1e18}};
constexpr std::array bandwidth_units{
    Unit{"Bps", 1},      Unit{"kBps", 1e3},     Unit{"MBps", 1e6},        Unit{"GBps", 1e9},
    Unit{"TBps", 1e12},  Unit{"KiBps", 1024.0}, Unit{"MiBps", 1048576.0}, Unit{"GiBps", 1073741824.0},
    Unit{"bps", 0.125},  Unit{"kbps", 125},     Unit{"Mbps", 125e3},      Unit{"Gbps", 125e6},
    Unit{"Tbps", 125e9}, Unit{"Kibps", 128.0},  Unit{"Mibps", 131072.0},  Unit{"Gibps", 134217728.0}};
constexpr std::array time_units{Unit{"s", 1},     Unit{"ps", 1e-12}, Unit{"ns", 1e-9}, Unit{"us", 1e-6},
                                Unit{"ms", 1e-3}, Unit{"m", 60},     Unit{"h", 3600}};

template <std::size_t N>
std::optional<double> with_unit(std::string_view text, const std::array<Unit, N>& units) {
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc{} || end == text.data() || !std::isfinite(number) || number < 0) return std::nullopt;
  const std::string_view suffix(end, static_cast<std::size_t>(text.data() + text.size() - end));
  for (const Unit& unit : units)
    if (suffix == unit.suffix) return number * unit.factor;
  return std::nullopt;
}

template <std::size_t N>
std::string unit_list(const std::array<Unit, N>& units) {
  std::vector<std::string_view> names;
  names.reserve(N);
  for (const Unit& unit : units) names.push_back(unit.suffix);
  return fmt::format("{}", fmt::join(names, ", "));
}

constexpr std::string_view simgrid_dtd = "https://simgrid.org/simgrid.dtd";
constexpr std::string_view simgrid_doctype = "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">";

// What each element may hold, and where: everything else is refused.
struct ElementRule {
  std::string_view name;
  std::vector<std::string_view> parents;
  std::vector<std::string_view> attributes;
};

const std::vector<ElementRule>& element_rules() {
  static const std::vector<ElementRule> rules{
      {"platform", {""}, {"version"}},
      {"zone", {"platform"}, {"id", "routing"}},
      {"AS", {"platform"}, {"id", "routing"}},
      {"host", {"zone", "AS"}, {"id", "speed", "core"}},
      {"router", {"zone", "AS"}, {"id"}},
      {"link", {"zone", "AS"}, {"id", "bandwidth", "latency", "sharing_policy"}},
      {"route", {"zone", "AS"}, {"src", "dst", "symmetrical"}},
      {"link_ctn", {"route"}, {"id"}},
      {"prop", {"zone", "AS", "host", "link"}, {"id", "value"}},
  };
  return rules;
}

class PlatformReader {
 public:
  PlatformReader(const std::string& file) : file_(file), parser_(XML_ParserCreate("UTF-8")) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &PlatformReader::on_start, &PlatformReader::on_end);
    // SimGrid's parser wants exactly this DOCTYPE; and entities declared in one could grow
    // a small file into a huge one.
    XML_SetStartDoctypeDeclHandler(parser_, [](void* self, const XML_Char* name, const XML_Char* system_id,
                                               const XML_Char*, int has_internal_subset) {
      auto* reader = static_cast<PlatformReader*>(self);
      if (has_internal_subset || std::string_view(name) != "platform" || !system_id ||
          std::string_view(system_id) != simgrid_dtd)
        return reader->refuse(fmt::format("a DOCTYPE other than SimGrid's: expected {}", simgrid_doctype));
      reader->doctype_ = true;
    });
  }
  ~PlatformReader() { XML_ParserFree(parser_); }
  PlatformReader(const PlatformReader&) = delete;
  PlatformReader& operator=(const PlatformReader&) = delete;

  NetworkSpec read(const std::string& content) {
    if (content.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      throw InputError({file_}, "too large for a platform file");
    if (XML_Parse(parser_, content.data(), static_cast<int>(content.size()), XML_TRUE) == XML_STATUS_ERROR && !error_)
      error_ = InputError({file_, static_cast<int>(XML_GetCurrentLineNumber(parser_)),
                           static_cast<int>(XML_GetCurrentColumnNumber(parser_)) + 1},
                          fmt::format("invalid XML: {}", XML_ErrorString(XML_GetErrorCode(parser_))));
    if (error_) throw *error_;
    if (network_.hosts.empty()) throw InputError({file_}, "no <host id=...> found: expected a SimGrid platform");
    network_.platform_xml = content;
    return std::move(network_);
  }

 private:
  static void on_start(void* self, const XML_Char* name, const XML_Char** attributes) {
    auto* reader = static_cast<PlatformReader*>(self);
    if (!reader->error_) reader->start(name, attributes);
  }
  static void on_end(void* self, const XML_Char* name) {
    auto* reader = static_cast<PlatformReader*>(self);
    if (reader->error_) return;
    if (std::string_view(name) == "route" && reader->links_in_route_ == 0)
      return reader->refuse("an empty route: expected at least one <link_ctn id=...> in it");
    if (!reader->open_.empty()) reader->open_.pop_back();
  }

  // Handlers run inside expat's C code, which an exception must not cross: the first
  // error is kept and the parse stopped.
  void refuse(const std::string& message) {
    if (error_) return;
    error_ = InputError({file_, static_cast<int>(XML_GetCurrentLineNumber(parser_)),
                         static_cast<int>(XML_GetCurrentColumnNumber(parser_)) + 1},
                        message);
    XML_StopParser(parser_, XML_FALSE);
  }

  std::string attribute(std::string_view key) const {
    auto it = attributes_.find(std::string(key));
    return it == attributes_.end() ? std::string() : it->second;
  }

  void start(std::string_view element, const XML_Char** attributes) {
    if (!doctype_) return refuse(fmt::format("no DOCTYPE: expected {} before <{}>", simgrid_doctype, element));
    const std::string parent = open_.empty() ? "" : open_.back();
    open_.emplace_back(element);
    const auto& rules = element_rules();
    auto rule = std::find_if(rules.begin(), rules.end(), [&](const ElementRule& r) { return r.name == element; });
    if (rule == rules.end()) {
      std::vector<std::string_view> names;
      names.reserve(rules.size());
      for (const ElementRule& r : rules) names.push_back(r.name);
      return refuse(
          fmt::format("<{}> is not supported by ipcsim: expected {} (write a cluster's hosts, links and "
                      "routes out in one zone)",
                      element, fmt::join(names, ", ")));
    }
    if (std::find(rule->parents.begin(), rule->parents.end(), parent) == rule->parents.end())
      return refuse(
          fmt::format("<{}> inside {}: expected it inside {}{}", element,
                      parent.empty() ? "nothing" : "<" + parent + ">", fmt::join(rule->parents, " or "),
                      element == "zone" || element == "AS" ? " (ipcsim reads one zone, not nested ones)" : ""));
    attributes_.clear();
    for (const XML_Char** a = attributes; *a; a += 2) {
      if (std::find(rule->attributes.begin(), rule->attributes.end(), a[0]) == rule->attributes.end())
        return refuse(fmt::format("<{} {}=...>: expected only {}", element, a[0], fmt::join(rule->attributes, ", ")));
      attributes_[a[0]] = a[1];
    }
    if (parent == "zone" || parent == "AS") in_order(element);
    if (element == "zone" || element == "AS") zone();
    if (element == "host") host();
    if (element == "router") netpoint("router");
    if (element == "link") link();
    if (element == "route") route();
    if (element == "link_ctn") link_in_route();
  }

  // SimGrid's DTD orders a zone: its properties, then hosts, routers and links, then routes.
  void in_order(std::string_view element) {
    const int stage = element == "prop" ? 0 : element == "route" ? 2 : 1;
    if (stage < zone_stage_)
      return refuse(
          fmt::format("<{}> after {}: expected a zone's <prop>s first, then its hosts, routers and links, "
                      "then its routes",
                      element, zone_stage_ == 2 ? "a route" : "a host, router or link"));
    zone_stage_ = stage;
  }

  std::string required_name(std::string_view element, std::string_view key) {
    std::string value = attribute(key);
    if (value.empty())
      refuse(fmt::format("<{}>: missing {}=\"...\"", element, key));
    else if (value.size() > 200 || has_control_character(value))
      refuse(fmt::format("<{} {}='{}'>: expected a name of at most 200 bytes without control characters", element, key,
                         value.substr(0, 200)));
    return value;
  }

  // A value with one of `units`, within [low, high] in the first (base) unit.
  template <std::size_t N>
  std::optional<double> quantity(std::string_view element, std::string_view key, const std::array<Unit, N>& units,
                                 double low, double high, std::string_view example) {
    const std::string text = attribute(key);
    std::optional<double> value = with_unit(text, units);
    if (!value || *value < low || *value > high) {
      refuse(fmt::format("<{} {}=\"{}\">: expected a value such as {} (units: {}; from {:g} to {:g} {})", element, key,
                         text, example, unit_list(units), low, high, units[0].suffix));
      return std::nullopt;
    }
    return value;
  }

  void zone() {
    if (zones_++ > 0) return refuse("a second zone: expected one zone (ipcsim reads one zone, not several)");
    required_name("zone", "id");
    const std::string routing = attribute("routing");
    if (routing == "Floyd" || routing == "Dijkstra" || routing == "DijkstraCache") {
      network_.platform_routes_are_hops = true;
    } else if (routing != "Full") {
      refuse(fmt::format("<zone routing=\"{}\">: expected Full, Floyd, Dijkstra or DijkstraCache", routing));
    }
  }

  void netpoint(std::string_view element) {
    const std::string id = required_name(element, "id");
    if (!error_ && !netpoints_.insert(id).second)
      refuse(fmt::format("<{} id=\"{}\">: a host or router of that name exists already", element, id));
  }

  void host() {
    netpoint("host");
    HostSpec host{attribute("id"), Speed{1e9}, std::nullopt};
    if (attribute("speed").empty()) return refuse("<host>: missing speed=\"...\"");
    if (auto speed = quantity("host", "speed", speed_units, min_speed_flops, max_speed_flops, "1Gf"))
      host.speed = Speed{*speed};
    if (const std::string cores = attribute("core"); !cores.empty()) {
      int count = 0;
      auto [end, ec] = std::from_chars(cores.data(), cores.data() + cores.size(), count);
      if (ec != std::errc{} || end != cores.data() + cores.size() || count < 1 || count > 4096)
        return refuse(fmt::format("<host core=\"{}\">: expected a whole number from 1 to 4096", cores));
      host.cores = count;
    }
    if (!error_) network_.hosts.push_back(std::move(host));
  }

  void link() {
    const std::string id = required_name("link", "id");
    if (error_) return;
    if (std::find(network_.platform_links.begin(), network_.platform_links.end(), id) != network_.platform_links.end())
      return refuse(fmt::format("<link id=\"{}\">: a link of that name exists already", id));
    for (std::string_view key : {"bandwidth", "latency"})
      if (attribute(key).empty()) return refuse(fmt::format("<link>: missing {}=\"...\"", key));
    quantity("link", "bandwidth", bandwidth_units, min_bandwidth_bytes_per_s, max_bandwidth_bytes_per_s, "125MBps");
    quantity("link", "latency", time_units, 0, max_duration_s, "50us");
    // SPLITDUPLEX splits a link into two of other names, which faults could not find.
    const std::string sharing = attribute("sharing_policy");
    if (!sharing.empty() && sharing != "SHARED" && sharing != "FATPIPE")
      return refuse(fmt::format("<link sharing_policy=\"{}\">: expected SHARED or FATPIPE", sharing));
    network_.platform_links.push_back(id);
  }

  void route() {
    links_in_route_ = 0;
    const std::string from = required_name("route", "src"), to = required_name("route", "dst");
    if (error_) return;
    for (const std::string& end : {from, to})
      if (!netpoints_.count(end))
        return refuse(fmt::format("<route>: unknown host or router '{}': expected one declared before the route", end));
    const std::string symmetrical = attribute("symmetrical");
    if (!symmetrical.empty() && symmetrical != "YES" && symmetrical != "NO" && symmetrical != "yes" &&
        symmetrical != "no")
      return refuse(fmt::format("<route symmetrical=\"{}\">: expected YES or NO", symmetrical));
    const bool both_ways = symmetrical != "NO" && symmetrical != "no";
    auto add = [&](const std::string& a, const std::string& b) {  // SimGrid aborts on a route given twice
      if (!routes_.insert({a, b}).second)
        return refuse(
            fmt::format("<route src=\"{}\" dst=\"{}\">: a route from {} to {} exists already", from, to, a, b));
      network_.platform_routes.emplace_back(a, b);
    };
    add(from, to);
    if (both_ways && from != to) add(to, from);
  }

  void link_in_route() {
    ++links_in_route_;
    const std::string id = required_name("link_ctn", "id");
    if (!error_ &&
        std::find(network_.platform_links.begin(), network_.platform_links.end(), id) == network_.platform_links.end())
      refuse(fmt::format("<link_ctn id=\"{}\">: unknown link: expected one declared before the route", id));
  }

  std::string file_;
  XML_Parser parser_;
  std::optional<InputError> error_;
  std::vector<std::string> open_;  // the elements enclosing the current one
  std::map<std::string, std::string> attributes_;
  std::set<std::string> netpoints_;  // hosts and routers
  std::set<std::pair<std::string, std::string>> routes_;
  int zones_ = 0;
  int zone_stage_ = 0;  // 0: properties, 1: hosts, routers and links, 2: routes
  int links_in_route_ = 0;
  bool doctype_ = false;
  NetworkSpec network_;
};

}  // namespace

NetworkSpec parse_platform(const std::string& content, const std::string& file) {
  NetworkSpec network = PlatformReader(file).read(content);
  network.platform_file = file;
  return network;
}

bool has_route(const NetworkSpec& network, const std::string& from, const std::string& to) {
  if (network.platform_file.empty() || from == to) return true;
  const auto& routes = network.platform_routes;
  if (!network.platform_routes_are_hops)
    return std::find(routes.begin(), routes.end(), std::pair{from, to}) != routes.end();
  std::set<std::string> reached{from};  // hop by hop, as Floyd and Dijkstra zones route
  std::vector<std::string> frontier{from};
  while (!frontier.empty()) {
    const std::string at = frontier.back();
    frontier.pop_back();
    for (const auto& [a, b] : routes)
      if (a == at && reached.insert(b).second) {
        if (b == to) return true;
        frontier.push_back(b);
      }
  }
  return false;
}

}  // namespace ipcsim::scenario
