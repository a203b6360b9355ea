//===- Calibration.cpp - quantc compile --quantize=int8 -------------------===//
#include "compiler/calibration/Calibration.h"
#include "passes/quant/Int4Rounding.h"
#include "passes/quant/StaticQuantization.h"
#include "tools/quantc/LoadedLibrary.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

namespace quantc {

namespace {

Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The calibration files --calib names, in a fixed (sorted) order.
Expected<std::vector<std::string>> calibrationFiles(StringRef path) {
  std::vector<std::string> files;
  auto isInput = [](StringRef p) {
    return p.ends_with(".npz") || p.ends_with(".npy");
  };
  if (llvm::sys::fs::is_directory(path)) {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
         it.increment(ec))
      if (isInput(it->path()))
        files.push_back(it->path());
    if (ec)
      return fail("--calib: cannot list '" + path + "': " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty())
      return fail("--calib: '" + path +
                  "' holds no .npz or .npy files to calibrate with");
    return files;
  }
  if (!llvm::sys::fs::exists(path))
    return fail("--calib: '" + path + "' does not exist");
  if (isInput(path))
    return std::vector<std::string>{path.str()};
  // A list, one file per line, relative to the list's directory.
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail("--calib: cannot read '" + path + "'");
  SmallVector<StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, false);
  for (StringRef line : lines) {
    line = line.trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    SmallString<256> file(line);
    if (!llvm::sys::path::is_absolute(file)) {
      file = llvm::sys::path::parent_path(path);
      llvm::sys::path::append(file, line);
    }
    files.push_back(file.str().str());
  }
  if (files.empty())
    return fail("--calib: the list '" + path + "' names no files");
  return files;
}

/// One calibration input set: an .npz with every input by name, or an .npy
/// for a model with one input. Float inputs must be finite.
Expected<std::vector<HostTensor>> readInputSet(StringRef file,
                                               const LoadedLibrary &library) {
  std::vector<HostTensor> tensors;
  if (file.ends_with(".npz")) {
    Expected<std::vector<HostTensor>> archive = readNpz(file);
    if (!archive)
      return archive.takeError();
    tensors = std::move(*archive);
  } else {
    if (library.inputs().size() != 1)
      return fail("calibration file '" + file +
                  "': a .npy file holds one array, but the model has " +
                  llvm::Twine(library.inputs().size()) +
                  " inputs; give .npz files with every input by name");
    Expected<HostTensor> tensor = readNpy(file);
    if (!tensor)
      return tensor.takeError();
    tensor->name = library.inputs().front().name;
    tensors.push_back(std::move(*tensor));
  }
  for (const HostTensor &t : tensors) {
    if (t.dtype != QC_DTYPE_F32)
      continue;
    const auto *values = reinterpret_cast<const float *>(t.bytes.data());
    for (int64_t i = 0, e = t.numElements(); i < e; ++i)
      if (!std::isfinite(values[i]))
        return fail("calibration file '" + file + "': input '" + t.name +
                    "' holds a NaN or infinity (element " + llvm::Twine(i) +
                    ")");
  }
  return tensors;
}

/// What calibration keeps per activation.
struct Range {
  float lo = INFINITY, hi = -INFINITY; // MinMax
  double loSum = 0, hiSum = 0;         // Percentile: sums over the inputs
  int64_t samples = 0;
  // Per channel (the last dim), for SmoothQuant: the smallest and largest.
  std::vector<float> channelLo, channelHi;

  void addChannels(const float *values, int64_t n, int64_t channels) {
    if (channels <= 0)
      return;
    if (channelLo.empty()) {
      channelLo.assign(channels, INFINITY);
      channelHi.assign(channels, -INFINITY);
    }
    for (int64_t i = 0; i < n; ++i) {
      int64_t c = i % channels;
      channelLo[c] = std::min(channelLo[c], values[i]);
      channelHi[c] = std::max(channelHi[c], values[i]);
    }
  }

  void add(const float *values, int64_t n, CalibrationMethod method) {
    if (n == 0)
      return;
    ++samples;
    if (method == CalibrationMethod::MinMax) {
      auto [mn, mx] = std::minmax_element(values, values + n);
      lo = std::min(lo, *mn);
      hi = std::max(hi, *mx);
      return;
    }
    std::vector<float> sorted(values, values + n);
    auto at = [&](double fraction) {
      auto k = int64_t(std::llround(fraction * double(n - 1)));
      std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
      return sorted[k];
    };
    loSum += at(0.0001);
    hiSum += at(0.9999);
  }
  std::pair<float, float> result(CalibrationMethod method) const {
    if (samples == 0)
      return {0.0f, 0.0f};
    if (method == CalibrationMethod::MinMax)
      return {lo, hi};
    return {float(loSum / samples), float(hiSum / samples)};
  }
};

/// Each activation's range and, with `perChannel`, its per-channel ones.
struct Measured {
  std::vector<std::pair<float, float>> ranges;
  std::vector<std::vector<float>> channelLo, channelHi;
  /// Per activation, the relative RMS error of quantizing it to uint8 with
  /// its range, over every input (when asked for).
  std::vector<float> errors;
  /// Per activation, when asked for: the Hessian (mean x^T x) and mean |x|
  /// over its last dim, for GPTQ and AWQ (empty where that dim is over
  /// kMaxHessianChannels).
  std::vector<std::vector<float>> hessians, meanAbs;
};

/// A K x K Hessian of floats for K up to this (256 MiB): larger is no
/// MatMul's K in the models quantc targets, and would not be worth its
/// memory.
constexpr int64_t kMaxHessianChannels = 8192;

/// sqrt(sum (x - dq(q(x)))^2 / sum x^2) terms of one tensor, added to
/// `sse` and `ss`; q as QuantizeLinear rounds (half to even) and saturates.
void addQuantizationError(const float *x, int64_t n, std::pair<float, float> range,
                          double &sse, double &ss) {
  quant::QuantParams p = quant::activationParams(range.first, range.second);
  float zp = p.zeroPoint;
  for (int64_t i = 0; i < n; ++i) {
    float q = std::clamp(std::nearbyint(x[i] / p.scale) + zp, 0.0f, 255.0f);
    double d = double(x[i]) - double((q - zp) * p.scale);
    sse += d * d;
    ss += double(x[i]) * double(x[i]);
  }
}

Expected<Measured> measureRanges(StringRef libraryPath,
                                 ArrayRef<std::string> files,
                                 CalibrationMethod method, bool perChannel,
                                 bool errors, bool hessians, bool verbose) {
  Expected<std::unique_ptr<LoadedLibrary>> library = LoadedLibrary::open(libraryPath);
  if (!library)
    return library.takeError();
  // The extra outputs, by the index in their name.
  std::vector<int64_t> outputIndex; // output position -> activation index
  int64_t activations = 0;
  for (const TensorInfo &out : (*library)->outputs()) {
    StringRef name = out.name;
    int64_t index = -1;
    if (name.consume_front(quant::kCalibrationOutputPrefix)) {
      if (name.split('.').first.getAsInteger(10, index))
        index = -1;
      activations = std::max(activations, index + 1);
    }
    outputIndex.push_back(index);
  }
  // Runs the library on every file and hands each float activation to
  // `visit(index, tensor)`.
  auto overInputs = [&](bool progress,
                        llvm::function_ref<void(int64_t, const HostTensor &)> visit)
      -> Error {
    for (auto [i, file] : llvm::enumerate(files)) {
      Expected<std::vector<HostTensor>> inputs = readInputSet(file, **library);
      if (!inputs)
        return inputs.takeError();
      Expected<std::vector<HostTensor>> outputs = (*library)->run(*inputs);
      if (!outputs)
        return fail("calibration file '" + file + "': " +
                    llvm::toString(outputs.takeError()));
      for (auto [position, output] : llvm::enumerate(*outputs))
        if (outputIndex[position] >= 0 && output.dtype == QC_DTYPE_F32)
          visit(outputIndex[position], output);
      if (progress)
        llvm::errs() << "quantc: calibrated on " << (i + 1) << "/" << files.size()
                     << " (" << file << ")\n";
    }
    return Error::success();
  };
  auto valuesOf = [](const HostTensor &t) {
    return reinterpret_cast<const float *>(t.bytes.data());
  };

  std::vector<Range> ranges(activations);
  std::vector<std::optional<quant::HessianAccumulator>> products(activations);
  if (Error e = overInputs(verbose, [&](int64_t index, const HostTensor &t) {
        ranges[index].add(valuesOf(t), t.numElements(), method);
        if (perChannel && !t.dims.empty())
          ranges[index].addChannels(valuesOf(t), t.numElements(), t.dims.back());
        int64_t k = t.dims.empty() ? 0 : t.dims.back();
        if (!hessians || k <= 0 || k > kMaxHessianChannels)
          return;
        std::optional<quant::HessianAccumulator> &h = products[index];
        if (!h)
          h.emplace(k);
        if (h->channels() == k)
          h->add(valuesOf(t), t.numElements() / k);
      }))
    return std::move(e);
  Measured result;
  for (const Range &r : ranges) {
    result.ranges.push_back(r.result(method));
    result.channelLo.push_back(r.channelLo);
    result.channelHi.push_back(r.channelHi);
  }
  if (hessians)
    for (const std::optional<quant::HessianAccumulator> &h : products) {
      result.hessians.push_back(h ? h->hessian() : std::vector<float>());
      result.meanAbs.push_back(h ? h->meanAbs() : std::vector<float>());
    }
  if (!errors)
    return result;
  // A second pass, now that the ranges are known: what uint8 costs each
  // activation.
  std::vector<double> sse(activations, 0.0), ss(activations, 0.0);
  if (Error e = overInputs(false, [&](int64_t index, const HostTensor &t) {
        addQuantizationError(valuesOf(t), t.numElements(), result.ranges[index],
                             sse[index], ss[index]);
      }))
    return std::move(e);
  for (int64_t i = 0; i < activations; ++i)
    result.errors.push_back(ss[i] > 0 ? float(std::sqrt(sse[i] / ss[i])) : 0.0f);
  return result;
}

/// The cache: "quantc-calibration 1", then one "lo hi" line per activation.
Expected<std::vector<std::pair<float, float>>> readCache(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail("--calib-cache: cannot read '" + path + "'");
  SmallVector<StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, false);
  if (lines.empty() || lines.front().trim() != "quantc-calibration 1")
    return fail("--calib-cache: '" + path +
                "' is not a quantc calibration file (its first line is not "
                "'quantc-calibration 1')");
  std::vector<std::pair<float, float>> ranges;
  for (StringRef line : llvm::drop_begin(lines)) {
    auto [lo, hi] = line.trim().split(' ');
    double l, h;
    if (lo.getAsDouble(l) || hi.trim().getAsDouble(h) || !(l <= h))
      return fail("--calib-cache: '" + path + "': bad line '" + line + "'");
    ranges.emplace_back(float(l), float(h));
  }
  return ranges;
}

Error writeCache(StringRef path, ArrayRef<std::pair<float, float>> ranges) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return fail("--calib-cache: cannot write '" + path + "': " + ec.message());
  os << "quantc-calibration 1\n";
  for (auto [lo, hi] : ranges)
    os << llvm::format("%.9g %.9g\n", lo, hi);
  return Error::success();
}

} // namespace

LogicalResult compileWithCalibration(CompileOptions options,
                                     const CalibrationOptions &calib,
                                     MLIRContext &ctx) {
  auto error = [&](Error e) {
    emitError(UnknownLoc::get(&ctx)) << llvm::toString(std::move(e));
    return failure();
  };
  // --quantize=w4 calibrates for GPTQ and AWQ: Hessians, not ranges.
  bool w4 = options.quantize == QuantizeMode::W4;
  if (w4 && !calib.cachePath.empty())
    return error(fail("--calib-cache keeps int8 ranges, not the Hessians "
                      "--w4-method needs: calibrate with --calib"));
  bool useCache = !calib.cachePath.empty() && calib.inputs.empty();
  bool smooth = options.smoothQuantAlpha >= 0;
  if (useCache && smooth)
    return error(fail("--smoothquant needs per-channel ranges, which "
                      "--calib-cache does not keep: calibrate with --calib"));
  if (useCache && options.int8ErrorBudget > 0)
    return error(fail("--int8-error-budget needs the calibration inputs, "
                      "which --calib-cache does not keep: calibrate with --calib"));
  if (useCache) {
    Expected<std::vector<std::pair<float, float>>> ranges = readCache(calib.cachePath);
    if (!ranges)
      return error(ranges.takeError());
    options.calibrationRanges = std::move(*ranges);
    return compileModel(options, ctx);
  }
  if (calib.inputs.empty())
    return error(fail(w4 ? "--w4-method=gptq and awq need calibration inputs: "
                           "--calib=DIR"
                         : "--quantize=int8 needs calibration inputs: "
                           "--calib=DIR (or a saved --calib-cache=FILE)"));
  Expected<std::vector<std::string>> files = calibrationFiles(calib.inputs);
  if (!files)
    return error(files.takeError());

  // 1. The float model with the activations as outputs.
  SmallString<256> instrumented;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "quantc-calibration", "so", instrumented))
    return error(fail("cannot create a temporary file: " + ec.message()));
  CompileOptions first = options;
  first.quantize = QuantizeMode::None;
  first.calibrationOutputs = true;
  first.emit = EmitStage::Library;
  first.outputPath = instrumented.str().str();
  first.memoryPlanSvgPath.clear();
  first.printDecisions = false;
  if (options.verbose)
    llvm::errs() << "quantc: compiling the float model for calibration\n";
  LogicalResult compiled = compileModel(first, ctx);
  SmallString<256> header = instrumented;
  llvm::sys::path::replace_extension(header, "h");
  auto cleanup = llvm::make_scope_exit([&] {
    llvm::sys::fs::remove(instrumented);
    llvm::sys::fs::remove(header); // written beside every library
  });
  if (failed(compiled))
    return failure();

  // 2. Its activations' ranges over the inputs.
  bool budget = options.int8ErrorBudget > 0;
  Expected<Measured> measured = measureRanges(instrumented, *files, calib.method,
                                              smooth, budget, w4, options.verbose);
  if (!measured)
    return error(measured.takeError());
  if (!calib.cachePath.empty())
    if (Error e = writeCache(calib.cachePath, measured->ranges))
      return error(std::move(e));

  // 3. The model quantized with them.
  if (w4) {
    options.calibrationHessians = std::move(measured->hessians);
    options.calibrationChannelMeanAbs = std::move(measured->meanAbs);
    return compileModel(options, ctx);
  }
  options.calibrationRanges = std::move(measured->ranges);
  options.calibrationErrors = std::move(measured->errors);
  if (smooth) {
    options.calibrationChannelMin = std::move(measured->channelLo);
    options.calibrationChannelMax = std::move(measured->channelHi);
  }
  return compileModel(options, ctx);
}

} // namespace quantc
