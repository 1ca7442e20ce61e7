#include "program.hpp"

namespace ipcsim::model {

bool follow_loop(const std::vector<Op>& program, std::size_t& pc, std::vector<std::uint64_t>& loops) {
  const Op& op = program[pc];
  switch (op.kind) {
    case Op::Kind::loop_begin:
      if (op.times == 0) {
        pc = op.jump;
      } else {
        loops.push_back(op.times);
        ++pc;
      }
      return true;
    case Op::Kind::loop_end: {
      std::uint64_t& left = loops.back();
      if (left != forever) --left;
      if (left > 0) {
        pc = op.jump + 1;
      } else {
        loops.pop_back();
        ++pc;
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace ipcsim::model
