#pragma once
// Where the sources and the built programs are. Only test_main.cpp is compiled with these
// folders, so no other test object depends on where the tree is: ccache shares them between
// build/, the mutation tree and a clone elsewhere (CMakeLists.txt, IPCSIM_CCACHE_BASEDIR).
#include <string>

namespace ipcsim::test {

extern const std::string source_dir;     ///< the source tree's root
extern const std::string ipcsim_binary;  ///< the ipcsim program built beside the tests
extern const std::string s4u_reference;  ///< plain S4U on a platform file (test_network_streams.cpp)

}  // namespace ipcsim::test
