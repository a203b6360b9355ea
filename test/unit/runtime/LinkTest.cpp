//===- LinkTest.cpp - The runtime in a real shared library ----------------===//
//
// Loads the fake model as linked by CMakeLists.txt (ld.lld -shared -z defs
// with only libm and libc, as `quantc compile` links) and runs it through
// dlsym, as any FFI user would.
//
//===----------------------------------------------------------------------===//

#include "quantc/runtime.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

namespace {

template <typename T> T lookup(void *handle, const char *name) {
  return reinterpret_cast<T>(dlsym(handle, name));
}

TEST(LinkTest, LoadsAndRunsThroughDlsym) {
  void *handle = dlopen(QUANTC_FAKE_MODEL_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  auto create = lookup<decltype(&qc_context_create)>(handle, "qc_context_create");
  auto destroy =
      lookup<decltype(&qc_context_destroy)>(handle, "qc_context_destroy");
  auto run = lookup<decltype(&qc_context_run)>(handle, "qc_context_run");
  auto name =
      lookup<decltype(&qc_context_model_name)>(handle, "qc_context_model_name");
  auto message =
      lookup<decltype(&qc_status_message)>(handle, "qc_status_message");
  auto freeStatus = lookup<decltype(&qc_status_free)>(handle, "qc_status_free");
  ASSERT_TRUE(create && destroy && run && name && message && freeStatus);
  // Hidden visibility: the runtime's internals are not exported.
  EXPECT_EQ(dlsym(handle, "_ZN2qc14parseSignatureEPKcPNS_9SignatureE"),
            nullptr);

  qc_context_t *context = nullptr;
  qc_status_t status = create(&context);
  ASSERT_EQ(status, nullptr) << message(status);
  EXPECT_STREQ(name(context), "fake model");
  float x[6] = {1, 2, 3, 4, 5, 6};
  float scale = 10;
  const int64_t dims[] = {2, 3};
  qc_tensor_t inputs[2] = {{QC_DTYPE_F32, 2, dims, x, sizeof(x)},
                           {QC_DTYPE_F32, 0, nullptr, &scale, sizeof(scale)}};
  qc_tensor_t outputs[3] = {};
  status = run(context, inputs, 2, outputs, 3);
  ASSERT_EQ(status, nullptr) << message(status);
  EXPECT_EQ(static_cast<float *>(outputs[0].data)[5], 61.0f);
  EXPECT_EQ(*static_cast<double *>(outputs[2].data), 216.0);

  inputs[0].dtype = QC_DTYPE_I8;
  status = run(context, inputs, 2, outputs, 3);
  EXPECT_STREQ(message(status), "input 'x': expected dtype f32, got i8");
  freeStatus(status);
  destroy(context);
  dlclose(handle);
}

} // namespace
