#include "apps/tracewire/sidecar.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace tracewire::apps {
namespace {

std::string WriteTemp(const std::string& text) {
  char path[] = "/tmp/tw_sidecar_cfg_XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

TEST(SidecarCommandTest, PrintsTheDefaultConfig) {
  std::ostringstream out;
  std::ostringstream err;
  SidecarFlags flags;
  flags.print_config = true;
  EXPECT_EQ(RunSidecar(flags, out, err), 0);
  EXPECT_NE(out.str().find("inbound: {kind: inbound, address: \"127.0.0.1:15006\""),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("local: {endpoints: [\"127.0.0.1:8000\"]"), std::string::npos);
}

TEST(SidecarCommandTest, BadConfigExitsTwoNamingTheKey) {
  const std::string path = WriteTemp("clusters: {c: {endpoints: [\"nohost\"]}}\n");
  std::ostringstream out;
  std::ostringstream err;
  SidecarFlags flags;
  flags.config_file = path;
  EXPECT_EQ(RunSidecar(flags, out, err), 2);
  EXPECT_NE(err.str().find("clusters.c.endpoints[0]"), std::string::npos) << err.str();
  std::remove(path.c_str());
}

TEST(SidecarCommandTest, MissingConfigFileExitsTwo) {
  std::ostringstream out;
  std::ostringstream err;
  SidecarFlags flags;
  flags.config_file = "/nonexistent/sidecar.yaml";
  EXPECT_EQ(RunSidecar(flags, out, err), 2);
  EXPECT_NE(err.str().find("--config"), std::string::npos);
}

}  // namespace
}  // namespace tracewire::apps
