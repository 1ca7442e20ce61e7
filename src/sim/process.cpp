// The interpreter of compiled programs: one simulated process per actor.
#include "engine.hpp"

namespace ipcsim::sim {

void Simulation::run_program(ProcessState& p) {
  using Kind = model::Op::Kind;
  const std::vector<model::Op>& program = model_.processes[p.id].program;
  std::size_t pc = 0;
  while (pc < program.size()) {
    if (stopped_) throw StopRun{};
    checkpoint(p);
    const model::Op& op = program[pc];
    // Reading the clock costs about as much as a step: look every few thousand.
    if ((++out_.events & (events_between_looks - 1)) == 0) watch_limits();
    if (model::follow_loop(program, pc, p.loops)) continue;
    switch (op.kind) {
      case Kind::send:
        send(p, op.channel, op.size.sample(p.rng), op.send_mode, op.timeout);
        break;
      case Kind::reply: {
        Bytes size = op.size.sample(p.rng);
        ChannelId back = p.last_sender == model::none ? model::none
                                                      : model_.reply_channel(p.id, p.last_sender);
        if (back == model::none) {
          // Nothing to answer, or no channel back: the reply fails, counted like any send.
          MessageId id = new_message(p, model::none, size);
          records_[id].send_return = now();
          settle(id, Reason::no_reply_channel);
        } else {
          send(p, back, size, op.send_mode, op.timeout);
        }
        break;
      }
      case Kind::receive:
        receive(p, op.channel, op.receive_mode, op.timeout);
        break;
      case Kind::compute:
        compute(p, op.duration.sample(p.rng));
        break;
      case Kind::sleep:
        pay(p, op.duration.sample(p.rng));
        break;
      case Kind::delete_mailbox:
        destroy(op.channel, Reason::mailbox_deleted);
        break;
      case Kind::loop_begin:
      case Kind::loop_end:
        break;  // follow_loop took them
    }
    ++pc;
  }
}

}  // namespace ipcsim::sim
