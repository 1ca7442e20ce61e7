#include "run_many.hpp"

#include <poll.h>

#include <memory>
#include <vector>

namespace ipcsim::sim {

void run_many(std::size_t count, unsigned jobs, const Options& options,
              const std::function<model::Model(std::size_t)>& model_of,
              const std::function<void(std::size_t, model::Model&&, model::SimulatedRun&&)>& finished) {
  struct Running {
    std::size_t index;
    model::Model model;
    std::unique_ptr<IsolatedRun> run;
  };
  std::vector<Running> running;
  std::size_t next = 0;
  auto interrupted = [&] { return options.interrupted && options.interrupted->load(); };
  while (next < count || !running.empty()) {
    while (running.size() < jobs && next < count && !interrupted()) {
      model::Model model = model_of(next);
      try {
        auto run = std::make_unique<IsolatedRun>(model, options);
        running.push_back(Running{next, std::move(model), std::move(run)});
      } catch (const std::exception& e) {
        throw RunFailed(next, e.what());
      }
      ++next;
    }
    if (running.empty()) return;  // interrupted before the rest started
    std::vector<pollfd> fds;
    fds.reserve(running.size());
    for (const Running& r : running) fds.push_back(pollfd{r.run->fd(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR: a signal, look again
    for (std::size_t k = fds.size(); k-- > 0;) {
      if (fds[k].revents == 0 || running[k].run->read_some()) continue;
      Running done = std::move(running[k]);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
      model::SimulatedRun output;
      try {
        output = done.run->finish();
      } catch (const std::exception& e) {
        throw RunFailed(done.index, e.what());
      }
      finished(done.index, std::move(done.model), std::move(output));
    }
  }
}

}  // namespace ipcsim::sim
