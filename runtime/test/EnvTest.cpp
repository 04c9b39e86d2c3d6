//===- EnvTest.cpp - GEMMRT_BACKEND, GEMMRT_LOG, GEMMRT_CACHE_DIR, ... ---===//

#include "Env.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <map>

using namespace gemmrt::impl;
using namespace gemmrt::test;

namespace {
struct FakeEnv {
  std::map<std::string, std::string> vars;
  GetEnvFn fn() const {
    return [this](const char *name) -> const char * {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};
} // namespace

TEST(Env, PolicyNames) {
  Policy p = Policy::Reference;
  ASSERT_TRUE(parsePolicyName(nullptr, p).ok());
  EXPECT_EQ(p, Policy::Auto);
  ASSERT_TRUE(parsePolicyName("", p).ok());
  EXPECT_EQ(p, Policy::Auto);
  ASSERT_TRUE(parsePolicyName("generated", p).ok());
  EXPECT_EQ(p, Policy::Generated);
  ASSERT_TRUE(parsePolicyName("cuBLASLt", p).ok());
  EXPECT_EQ(p, Policy::CublasLt);
  ASSERT_TRUE(parsePolicyName("REFERENCE", p).ok());
  EXPECT_EQ(p, Policy::Reference);
  ASSERT_TRUE(parsePolicyName("auto", p).ok());
  EXPECT_EQ(p, Policy::Auto);
}

TEST(Env, BadPolicyNameIsAnErrorNamingTheValue) {
  Policy p = Policy::Reference;
  for (const char *bad : {"cublas", "deepgemm", " auto", "1"}) {
    Status s = parsePolicyName(bad, p);
    EXPECT_EQ(s.code(), GEMMRT_ERROR_INVALID_ARGUMENT) << bad;
    EXPECT_NE(s.message().find(std::string("GEMMRT_BACKEND='") + bad + "'"),
              std::string::npos)
        << s.message();
    EXPECT_NE(s.message().find("auto, generated, cublaslt, reference"),
              std::string::npos);
  }
  EXPECT_EQ(p, Policy::Reference) << "unchanged on error";
}

TEST(Env, LogFlag) {
  bool on = true;
  for (const char *off : {(const char *)nullptr, "", "0", "false", "OFF"}) {
    ASSERT_TRUE(parseLogFlag(off, on).ok());
    EXPECT_FALSE(on);
  }
  for (const char *yes : {"1", "true", "Yes", "on"}) {
    ASSERT_TRUE(parseLogFlag(yes, on).ok());
    EXPECT_TRUE(on);
  }
  Status s = parseLogFlag("verbose", on);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(s.message().find("GEMMRT_LOG='verbose'"), std::string::npos);
}

TEST(Env, ReadAll) {
  FakeEnv env;
  env.vars = {
      {"GEMMRT_BACKEND", "cublaslt"}, {"GEMMRT_LOG", "1"}, {"HOME", "/home/u"}};
  EnvConfig cfg;
  ASSERT_TRUE(readEnvConfig(env.fn(), cfg).ok());
  EXPECT_EQ(cfg.policy, Policy::CublasLt);
  EXPECT_TRUE(cfg.log);
  EXPECT_EQ(cfg.cacheDir, "/home/u/.cache/gemmgen");
  EXPECT_FALSE(cfg.cacheDirFromEnv);
}

TEST(Env, ProgrammaticLaunchFlag) {
  FakeEnv env;
  EnvConfig cfg;
  for (const char *on : {"1", "on", "TRUE"}) {
    env.vars = {{"GEMMRT_PDL", on}};
    ASSERT_TRUE(readEnvConfig(env.fn(), cfg).ok());
    EXPECT_TRUE(cfg.programmaticLaunch) << on;
  }
  for (const char *off : {"0", "off", ""}) {
    env.vars = {{"GEMMRT_PDL", off}};
    ASSERT_TRUE(readEnvConfig(env.fn(), cfg).ok());
    EXPECT_FALSE(cfg.programmaticLaunch) << off;
  }
  env.vars = {{"GEMMRT_PDL", "sometimes"}};
  Status s = readEnvConfig(env.fn(), cfg);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(s.message().find("GEMMRT_PDL='sometimes'"), std::string::npos)
      << s.message();
}

TEST(Env, Defaults) {
  FakeEnv env;
  EnvConfig cfg;
  ASSERT_TRUE(readEnvConfig(env.fn(), cfg).ok());
  EXPECT_EQ(cfg.policy, Policy::Auto);
  EXPECT_FALSE(cfg.log);
  EXPECT_FALSE(cfg.programmaticLaunch);
  EXPECT_EQ(cfg.cacheDir, "");
}

TEST(Env, CacheDirFromEnv) {
  TempDir dir;
  FakeEnv env;
  env.vars = {{"GEMMRT_CACHE_DIR", dir / "not-yet-created"},
              {"XDG_CACHE_HOME", "/xdg"}};
  EnvConfig cfg;
  ASSERT_TRUE(readEnvConfig(env.fn(), cfg).ok());
  EXPECT_EQ(cfg.cacheDir, dir / "not-yet-created");
  EXPECT_TRUE(cfg.cacheDirFromEnv);
}

TEST(Env, CacheDirThatIsAFileIsACacheError) {
  TempDir dir;
  writeText(dir / "f", "x");
  FakeEnv env;
  env.vars = {{"GEMMRT_CACHE_DIR", dir / "f"}};
  EnvConfig cfg;
  Status s = readEnvConfig(env.fn(), cfg);
  EXPECT_EQ(s.code(), GEMMRT_ERROR_CACHE);
  EXPECT_NE(s.message().find("is not a directory"), std::string::npos);
}

TEST(Env, BadBackendFailsTheWholeRead) {
  FakeEnv env;
  env.vars = {{"GEMMRT_BACKEND", "fastest"}};
  EnvConfig cfg;
  EXPECT_EQ(readEnvConfig(env.fn(), cfg).code(), GEMMRT_ERROR_INVALID_ARGUMENT);
}

TEST(Env, CompilerLibrary) {
  FakeEnv env;
  EnvConfig cfg;
  ASSERT_TRUE(readEnvConfig(env.fn(), cfg).ok());
  EXPECT_EQ(cfg.compiler, "");
  EXPECT_FALSE(cfg.compilerOff);
  env.vars = {{"GEMMRT_COMPILER", "/opt/gemmgen/lib/libgemmgen_compiler.so"}};
  ASSERT_TRUE(readEnvConfig(env.fn(), cfg).ok());
  EXPECT_EQ(cfg.compiler, "/opt/gemmgen/lib/libgemmgen_compiler.so");
  EXPECT_FALSE(cfg.compilerOff);
  for (const char *off : {"off", "OFF", "0", "false", "no"}) {
    env.vars = {{"GEMMRT_COMPILER", off}};
    ASSERT_TRUE(readEnvConfig(env.fn(), cfg).ok());
    EXPECT_TRUE(cfg.compilerOff) << off;
    EXPECT_EQ(cfg.compiler, "") << off;
  }
}
