// The `tracewire` command.
#include <CLI/CLI.hpp>
#include <iostream>

#include "apps/tracewire/demo.h"

int main(int argc, char** argv) {
  CLI::App app{"tracewire: one trace id across every tRPC and HTTP hop"};
  app.require_subcommand(1);
  auto* demo = app.add_subcommand(
      "demo", "make a trace through three simulated services and export it over OTLP");
  auto* version = app.add_subcommand("version", "print the version");
  CLI11_PARSE(app, argc, argv);

  if (*version) {
    std::cout << "tracewire 0.1.0\n";
    return 0;
  }
  if (*demo) return tracewire::apps::RunDemo(std::cout);
  return 0;
}
