#pragma once
// The program stepper: what each instruction of a compiled program means, written once for
// both runners. A runner (the simulation on SimGrid, the measured replay on threads) supplies
// the primitives (send, receive, compute, sleep, delete) and its clock; the stepper decides
// which primitive each step is, with what arguments: loops, sampled sizes and durations,
// where a reply goes and why it fails when it cannot go anywhere. A template, so that the
// simulator's hot path makes no virtual call per step.
#include <concepts>
#include <cstdint>
#include <vector>

#include "model.hpp"
#include "run_result.hpp"

namespace ipcsim::model {

/// Where a process is in its program: the next instruction, the remaining iterations of the
/// enclosing repeats, and the last message it received (a reply goes back to its sender, a
/// forward carries its lineage on). A process that starts again (its host came back up)
/// starts from a fresh one.
struct ProgramState {
  std::size_t next = 0;
  std::vector<std::uint64_t> loops;
  Received last;
};

/// The lineage of a message sent after receiving `last`: a reply answers it as a request; with
/// `forward`, the message continues the chain `last` belongs to (or starts one at `last`).
inline Lineage lineage_after(const Received& last, bool reply, bool forward) {
  Lineage lineage;
  if (last.sender == none) return lineage;
  if (reply) {
    lineage.request_sent = last.sent;
    lineage.request_channel = last.channel;
  }
  if (forward) lineage.first_sent = last.lineage.first_sent >= 0 ? last.lineage.first_sent : last.sent;
  return lineage;
}

/// Loop bookkeeping: if program[pc] is a loop marker, moves pc to where execution goes next
/// and returns true; otherwise leaves pc alone and returns false. `loops` holds the remaining
/// iterations of enclosing repeats.
bool follow_loop(const std::vector<Op>& program, std::size_t& pc, std::vector<std::uint64_t>& loops);

/// What a runner supplies. now() is its clock, in seconds. before_step() is called before
/// every instruction (loop markers too): false ends the program there (the run stopped).
/// send() sends a message with the lineage given; receive() says what it returned (sender
/// `none`: nothing). fail_send() stands for a send that fails at once with `reason`, counted
/// like any other message.
template <class Runner>
concept ProgramRunner = requires(Runner& runner, ChannelId channel, Bytes size, Seconds time, SendMode send_mode,
                                 ReceiveMode receive_mode, Reason reason, const Lineage& lineage) {
  { runner.now() } -> std::same_as<double>;
  { runner.before_step() } -> std::same_as<bool>;
  runner.send(channel, size, send_mode, time, lineage);
  runner.fail_send(size, reason);
  { runner.receive(channel, receive_mode, time) } -> std::same_as<Received>;
  runner.compute(time);
  runner.sleep(time);
  runner.delete_mailbox(channel, reason);
};

/// Adds the time from its making to its end to `total`: also when the step it times ends by
/// an exception (the run stopped, or a fault killed the process, during the call).
template <class Runner>
class StepTimer {
 public:
  StepTimer(Runner& runner, double& total) : runner_(runner), total_(total), start_(runner.now()) {}
  StepTimer(const StepTimer&) = delete;
  StepTimer& operator=(const StepTimer&) = delete;
  ~StepTimer() { total_ += runner_.now() - start_; }

 private:
  Runner& runner_;
  double& total_;
  double start_;
};

/// Runs process `self`'s program from `state` to its end, or until the runner stops it,
/// adding where its time goes to `times`.
template <ProgramRunner Runner>
void run_program(const Model& model, ProcessId self, ProgramState& state, scenario::Rng& rng, Runner& runner,
                 ProcessTimes& times) {
  using Kind = Op::Kind;
  const std::vector<Op>& program = model.processes[self].program;
  while (state.next < program.size() && runner.before_step()) {
    if (follow_loop(program, state.next, state.loops)) continue;
    const Op& op = program[state.next];
    switch (op.kind) {
      case Kind::send: {
        const StepTimer timer(runner, times.sending);
        ++times.sends;
        runner.send(op.channel, op.size.sample(rng), op.send_mode, op.timeout,
                    lineage_after(state.last, false, op.forward));
        break;
      }
      case Kind::reply: {
        // To whoever sent the last message received, on the direct channel back to it.
        const StepTimer timer(runner, times.sending);
        ++times.sends;
        const Bytes size = op.size.sample(rng);
        const ChannelId back = state.last.sender == none ? none : model.reply_channel(self, state.last.sender);
        if (back == none)
          runner.fail_send(size, Reason::no_reply_channel);
        else
          runner.send(back, size, op.send_mode, op.timeout, lineage_after(state.last, true, op.forward));
        break;
      }
      case Kind::receive: {
        const StepTimer timer(runner, times.receiving);
        ++times.receives;
        if (Received received = runner.receive(op.channel, op.receive_mode, op.timeout); received.sender != none) {
          state.last = received;
          ++times.messages_received;
        }
        break;
      }
      case Kind::compute: {
        const StepTimer timer(runner, times.computing);
        runner.compute(op.duration.sample(rng));
        break;
      }
      case Kind::sleep: {
        const StepTimer timer(runner, times.sleeping);
        runner.sleep(op.duration.sample(rng));
        break;
      }
      case Kind::delete_mailbox:
        runner.delete_mailbox(op.channel, Reason::mailbox_deleted);
        break;
      case Kind::loop_begin:
      case Kind::loop_end:
        break;  // follow_loop took them
    }
    ++state.next;
  }
}

/// A process that ends (its program done, or killed) takes the mailboxes it owns with it:
/// each is deleted, what it holds lost as owner_ended. `delete_mailbox(channel, reason)` is
/// the runner's.
template <class DeleteMailbox>
void delete_mailboxes_of(const Model& model, ProcessId owner, DeleteMailbox delete_mailbox) {
  for (ChannelId c : model.mailboxes_of[owner]) delete_mailbox(c, Reason::owner_ended);
}

}  // namespace ipcsim::model
