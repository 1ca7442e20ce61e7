// A simulated process runs its program through the stepper of model/program.hpp, with the
// simulation's primitives.
#include "simulation_impl.hpp"

namespace ipcsim::sim {

// The primitives the stepper calls, for one process.
class Simulation::ProcessSteps {
 public:
  ProcessSteps(Simulation& sim, ProcessState& p) : sim_(sim), p_(p) {}

  double now() const { return sim_.now(); }
  bool before_step() {
    if (sim_.stopped_) throw StopRun{};
    sim_.checkpoint(p_);
    // Reading the clock costs a fraction of a step: not at every one.
    if ((++sim_.out_.events & (events_between_clock_reads - 1)) == 0) sim_.watch_limits();
    return true;
  }
  void send(ChannelId c, Bytes size, SendMode mode, Seconds timeout, const model::Lineage& lineage) {
    sim_.send(p_, c, size, mode, timeout, lineage);
  }
  void fail_send(Bytes size, Reason reason) { sim_.fail_send(p_, size, reason); }
  model::Received receive(ChannelId c, ReceiveMode mode, Seconds timeout) { return sim_.receive(p_, c, mode, timeout); }
  void compute(Seconds duration) { sim_.compute(p_, duration); }
  void sleep(Seconds duration) {
    sim_.note(model::EventKind::sleep_start, p_.id, model::none, no_message, {}, duration.count());
    sim_.pay(p_, duration);
    sim_.note(model::EventKind::sleep_end, p_.id);
  }
  void delete_mailbox(ChannelId c, Reason reason) { sim_.destroy(c, reason); }

 private:
  Simulation& sim_;
  ProcessState& p_;
};

void Simulation::run_program(ProcessState& p) {
  ProcessSteps steps(*this, p);
  model::run_program(model_, p.id, p.program, p.rng, steps, p.times);
  if (stopped_) throw StopRun{};  // its last step ended the run: the program did not end by itself
}

void Simulation::fail_send(ProcessState& p, Bytes size, Reason reason) {
  MessageId id = ledger_.open(p.id, model::none, size.count, now());
  settle(id, reason);
  ledger_.send_returned(id, now());
}

}  // namespace ipcsim::sim
