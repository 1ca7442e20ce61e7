#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "support/paths.hpp"

namespace ipcsim::test {

const std::string source_dir = IPCSIM_SOURCE_DIR;
const std::string ipcsim_binary = IPCSIM_BINARY;
const std::string s4u_reference = S4U_REFERENCE;

}  // namespace ipcsim::test
