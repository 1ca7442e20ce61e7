#pragma once
// Private to scenario/: the checks that tie one part of a scenario to another (a channel's
// parties to the declared processes, a step's target to a declared channel), apart from
// reading YAML. Each throws InputError at the mark it is given.
#include <string>
#include <string_view>

#include "scenario.hpp"

namespace ipcsim::scenario {

/// `name` as a process group or one of its instances ("client.2"); null when neither.
const ProcessSpec* process_named(const Scenario& scenario, std::string_view name);

/// Every channel's parties and owner are declared processes of the right count, and its
/// host one of the model's.
void check_channel_parties(const Scenario& scenario);

/// `host` is one of the model's (any name when the model declares no hosts).
void check_host(const Scenario& scenario, const std::string& host, const SourceMark& where);

/// A send from `self` names a mailbox, or a process that a direct channel links to `self`.
void check_send_target(const Scenario& scenario, const SendStep& send, const ProcessSpec& self,
                       const SourceMark& where);

/// A receive of `self` names a mailbox it may receive from, a process a symmetric channel
/// links it to, or any sender of a direct-asymmetric channel to it.
void check_receive_source(const Scenario& scenario, const ReceiveStep& receive, const ProcessSpec& self,
                          const SourceMark& where);

/// stop.channel, when given, names a declared channel.
void check_stop_channel(const Scenario& scenario, const SourceMark& where);

/// A delete names an OS-owned mailbox.
void check_deleted_mailbox(const Scenario& scenario, const DeleteStep& del, const SourceMark& where);

}  // namespace ipcsim::scenario
