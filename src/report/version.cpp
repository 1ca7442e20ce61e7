#include "version.hpp"

#include "ipcsim_version.hpp"

namespace ipcsim::report {

std::string_view ipcsim_version() { return IPCSIM_VERSION; }

}  // namespace ipcsim::report
