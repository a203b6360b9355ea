//===- LoadedLibrary.cpp - A generated library, opened in-process ---------===//

#include "tools/quantc/LoadedLibrary.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"

#include <dlfcn.h>

using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

namespace quantc {

// The C API, resolved with dlsym. Each member is named after its symbol.
struct LoadedLibrary::Api {
  decltype(&::qc_status_code) qc_status_code;
  decltype(&::qc_status_message) qc_status_message;
  decltype(&::qc_status_free) qc_status_free;
  decltype(&::qc_context_create) qc_context_create;
  decltype(&::qc_context_destroy) qc_context_destroy;
  decltype(&::qc_context_model_name) qc_context_model_name;
  decltype(&::qc_context_input_count) qc_context_input_count;
  decltype(&::qc_context_output_count) qc_context_output_count;
  decltype(&::qc_context_input_info) qc_context_input_info;
  decltype(&::qc_context_output_info) qc_context_output_info;
  decltype(&::qc_context_run) qc_context_run;
  decltype(&::qc_context_set_threads) qc_context_set_threads;
  decltype(&::qc_context_threads) qc_context_threads;
  decltype(&::qc_context_isa) qc_context_isa;
};

namespace {
// Resolves `name` into `slot`, or says which symbol is missing.
template <typename Fn>
Error resolve(void *handle, StringRef path, const char *name, Fn &slot) {
  slot = reinterpret_cast<Fn>(dlsym(handle, name));
  if (!slot)
    return llvm::createStringError("'" + path + "' is not a quantc library (it has no '" +
                     name + "' symbol)");
  return Error::success();
}
} // namespace

Expected<std::unique_ptr<LoadedLibrary>> LoadedLibrary::open(StringRef path) {
  // dlopen searches the library path for a bare file name; a user naming a
  // file means that file.
  llvm::SmallString<256> absolute(path);
  if (std::error_code error = llvm::sys::fs::make_absolute(absolute))
    return llvm::createStringError("cannot load '" + path + "': " + error.message());
  if (!llvm::sys::fs::exists(absolute))
    return llvm::createStringError("cannot load '" + path + "': no such file");
  void *handle = dlopen(absolute.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *reason = dlerror();
    return llvm::createStringError("cannot load '" + path + "': " +
                     (reason ? reason : "unknown dlopen error"));
  }
  auto api = std::make_unique<Api>();
  if (Error error = resolveApi(handle, path, *api)) {
    dlclose(handle);
    return error;
  }
  std::unique_ptr<LoadedLibrary> library(
      new LoadedLibrary(path.str(), handle, std::move(api)));
  if (Error error = library->createContext())
    return error;
  return library;
}

std::optional<LoadedLibrary::MemoryPlan> LoadedLibrary::memoryPlan() const {
  auto *plan = static_cast<const int64_t *>(dlsym(handle_, "qc_memory_plan"));
  if (!plan)
    return std::nullopt;
  return MemoryPlan{plan[0], plan[1], plan[2], plan[3]};
}

LoadedLibrary::LoadedLibrary(std::string path, void *handle,
                             std::unique_ptr<Api> api)
    : path_(std::move(path)), handle_(handle), api_(std::move(api)) {}

LoadedLibrary::~LoadedLibrary() {
  if (context_)
    api_->qc_context_destroy(context_);
  if (handle_)
    dlclose(handle_);
}

Error LoadedLibrary::statusToError(qc_status_t status) const {
  std::string message = api_->qc_status_message(status);
  api_->qc_status_free(status);
  return llvm::createStringError(message);
}

Error LoadedLibrary::setThreads(int threads) {
  if (qc_status_t status = api_->qc_context_set_threads(context_, threads))
    return statusToError(status);
  return Error::success();
}

int LoadedLibrary::threads() const {
  return api_->qc_context_threads(context_);
}

StringRef LoadedLibrary::isa() const { return api_->qc_context_isa(context_); }

Error LoadedLibrary::createContext() {
  if (qc_status_t status = api_->qc_context_create(&context_)) {
    context_ = nullptr;
    return llvm::createStringError("'" + path_ + "': cannot create a context: " +
                     toString(statusToError(status)));
  }
  modelName_ = api_->qc_context_model_name(context_);
  auto describe = [&](bool isInput, std::vector<TensorInfo> &infos) -> Error {
    size_t count = isInput ? api_->qc_context_input_count(context_)
                           : api_->qc_context_output_count(context_);
    for (size_t i = 0; i < count; ++i) {
      qc_tensor_info_t info;
      qc_status_t status =
          isInput ? api_->qc_context_input_info(context_, i, &info)
                  : api_->qc_context_output_info(context_, i, &info);
      if (status)
        return statusToError(status);
      TensorInfo &t = infos.emplace_back();
      t.name = info.name;
      t.dtype = info.dtype;
      t.dims.assign(info.dims, info.dims + info.rank);
      t.minDims.assign(info.min_dims, info.min_dims + info.rank);
      t.maxDims.assign(info.max_dims, info.max_dims + info.rank);
      t.dimNames.assign(info.dim_names, info.dim_names + info.rank);
    }
    return Error::success();
  };
  if (Error error = describe(/*isInput=*/true, inputs_))
    return error;
  return describe(/*isInput=*/false, outputs_);
}

namespace {
std::string listNames(llvm::ArrayRef<TensorInfo> infos) {
  if (infos.empty())
    return "(none)";
  std::string text;
  for (const TensorInfo &info : infos)
    text += (text.empty() ? "'" : ", '") + info.name + "'";
  return text;
}
} // namespace

std::string TensorInfo::shapeString() const {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    text += i ? ", " : "";
    if (dims[i] >= 0)
      text += std::to_string(dims[i]);
    else
      text += dimNames[i].empty() ? "?" : dimNames[i];
  }
  return text + "]";
}

Expected<std::vector<HostTensor>>
LoadedLibrary::run(llvm::ArrayRef<HostTensor> inputs) {
  // Bind the given tensors to the model's inputs by name.
  std::vector<const HostTensor *> bound(inputs_.size(), nullptr);
  for (const HostTensor &tensor : inputs) {
    auto it = llvm::find_if(inputs_, [&](const TensorInfo &info) {
      return info.name == tensor.name;
    });
    if (it == inputs_.end())
      return llvm::createStringError("the model has no input '" + tensor.name +
                       "'; its inputs are " + listNames(inputs_));
    const HostTensor *&slot = bound[it - inputs_.begin()];
    if (slot)
      return llvm::createStringError("input '" + tensor.name + "' is given twice");
    slot = &tensor;
  }
  for (size_t i = 0; i < inputs_.size(); ++i)
    if (!bound[i])
      return llvm::createStringError("missing input '" + inputs_[i].name +
                       "'; the model's inputs are " + listNames(inputs_));

  // A zero-element tensor has no bytes, but the runtime wants a non-NULL
  // pointer; any valid address will do as nothing is read through it.
  static uint8_t emptyBuffer[1];
  auto dataOf = [](const std::vector<uint8_t> &bytes) -> void * {
    return bytes.empty() ? emptyBuffer
                         : const_cast<uint8_t *>(bytes.data());
  };
  std::vector<qc_tensor_t> inputArgs;
  for (size_t i = 0; i < bound.size(); ++i) {
    const HostTensor *tensor = bound[i];
    // A numpy void array (ml_dtypes' float8, int4...) takes the input's type.
    HostTensor typed{tensor->name, tensor->dtype, {}, {}, tensor->voidElements};
    if (Error error = resolveVoidElements(typed, inputs_[i].dtype))
      return std::move(error);
    inputArgs.push_back(qc_tensor_t{typed.dtype, int32_t(tensor->dims.size()),
                                    tensor->dims.data(), dataOf(tensor->bytes),
                                    tensor->bytes.size()});
  }
  // Static outputs are written straight into the results; an output sized
  // at run time comes back in a buffer of the context's and is copied out.
  std::vector<HostTensor> results;
  std::vector<qc_tensor_t> outputArgs;
  results.reserve(outputs_.size());
  for (const TensorInfo &info : outputs_) {
    if (!info.isStatic()) {
      results.push_back(HostTensor{info.name, info.dtype, {}, {}});
      outputArgs.push_back(qc_tensor_t{});
      continue;
    }
    results.push_back(HostTensor::zeros(info.name, info.dtype, info.dims));
    HostTensor &result = results.back();
    outputArgs.push_back(qc_tensor_t{result.dtype, int32_t(result.dims.size()),
                                     result.dims.data(), dataOf(result.bytes),
                                     result.bytes.size()});
  }
  if (qc_status_t status =
          api_->qc_context_run(context_, inputArgs.data(), inputArgs.size(),
                               outputArgs.data(), outputArgs.size()))
    return statusToError(status);
  for (size_t i = 0; i < outputs_.size(); ++i) {
    if (outputs_[i].isStatic())
      continue;
    const qc_tensor_t &out = outputArgs[i];
    const auto *data = static_cast<const uint8_t *>(out.data);
    results[i].dims.assign(out.dims, out.dims + out.rank);
    results[i].bytes.assign(data, data + out.byte_size);
  }
  return results;
}

Error LoadedLibrary::resolveApi(void *handle, StringRef path, Api &api) {
#define QC_RESOLVE(name)                                                       \
  if (Error error = resolve(handle, path, #name, api.name))                    \
    return error;
  QC_RESOLVE(qc_context_create)
  QC_RESOLVE(qc_context_destroy)
  QC_RESOLVE(qc_context_model_name)
  QC_RESOLVE(qc_context_input_count)
  QC_RESOLVE(qc_context_output_count)
  QC_RESOLVE(qc_context_input_info)
  QC_RESOLVE(qc_context_output_info)
  QC_RESOLVE(qc_context_run)
  QC_RESOLVE(qc_context_set_threads)
  QC_RESOLVE(qc_context_threads)
  QC_RESOLVE(qc_context_isa)
  QC_RESOLVE(qc_status_code)
  QC_RESOLVE(qc_status_message)
  QC_RESOLVE(qc_status_free)
#undef QC_RESOLVE
  return Error::success();
}

} // namespace quantc
