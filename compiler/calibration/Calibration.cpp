//===- Calibration.cpp - quantc compile --quantize=int8 -------------------===//
#include "compiler/calibration/Calibration.h"
#include "compiler/calibration/Histogram.h"
#include "passes/quant/Int4Rounding.h"
#include "passes/quant/StaticQuantization.h"
#include "tools/quantc/LoadedLibrary.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

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
  calibration::Histogram histogram;    // Entropy, Mse
  int64_t samples = 0;
  // Per channel (along the activation's channel axis): the smallest and
  // largest (for SmoothQuant), and the sum and count for the mean (for the
  // bias correction).
  std::vector<float> channelLo, channelHi;
  std::vector<double> channelSum;
  int64_t channelCount = 0;

  /// Folds a tensor of `dims` into the channel ranges along `axis`.
  void addChannels(const float *values, ArrayRef<int64_t> dims, int64_t axis) {
    if (axis < 0 || axis >= int64_t(dims.size()) || dims[axis] <= 0)
      return;
    int64_t channels = dims[axis], outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= dims[d];
    for (int64_t d = axis + 1; d < int64_t(dims.size()); ++d)
      inner *= dims[d];
    if (channelLo.empty()) {
      channelLo.assign(channels, INFINITY);
      channelHi.assign(channels, -INFINITY);
      channelSum.assign(channels, 0.0);
    }
    if (int64_t(channelLo.size()) != channels)
      return; // a run-time dim that changed between inputs
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t c = 0; c < channels; ++c) {
        const float *row = values + (o * channels + c) * inner;
        float lo = channelLo[c], hi = channelHi[c];
        double sum = 0.0;
        for (int64_t i = 0; i < inner; ++i) {
          lo = std::min(lo, row[i]);
          hi = std::max(hi, row[i]);
          sum += row[i];
        }
        channelLo[c] = lo;
        channelHi[c] = hi;
        channelSum[c] += sum;
      }
    channelCount += outer * inner;
  }

  quant::ChannelStats channels() const {
    quant::ChannelStats stats{channelLo, channelHi, {}};
    for (double sum : channelSum)
      stats.mean.push_back(float(sum / double(channelCount)));
    return stats;
  }

  void add(const float *values, int64_t n, CalibrationMethod method) {
    if (n == 0)
      return;
    ++samples;
    switch (method) {
    case CalibrationMethod::MinMax: {
      auto [mn, mx] = std::minmax_element(values, values + n);
      lo = std::min(lo, *mn);
      hi = std::max(hi, *mx);
      return;
    }
    case CalibrationMethod::Entropy:
    case CalibrationMethod::Mse:
      histogram.add(values, n);
      return;
    case CalibrationMethod::Percentile:
      break;
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
    switch (method) {
    case CalibrationMethod::MinMax:
      return {lo, hi};
    case CalibrationMethod::Percentile:
      break;
    case CalibrationMethod::Entropy:
      return histogram.entropyRange();
    case CalibrationMethod::Mse:
      return histogram.mseRange();
    }
    return {float(loSum / samples), float(hiSum / samples)};
  }
};

/// Each activation's range and, with `perChannel`, its per-channel ones.
struct Measured {
  std::vector<std::pair<float, float>> ranges;
  std::vector<quant::ChannelStats> channels;
  /// Per activation, when asked for: the Hessian (mean x^T x) and mean |x|
  /// over its last dim, for GPTQ and AWQ (empty where that dim is over
  /// kMaxHessianChannels).
  std::vector<std::vector<float>> hessians, meanAbs;
};

/// A K x K Hessian of floats for K up to this (256 MiB): larger is no
/// MatMul's K in the models quantc targets, and would not be worth its
/// memory.
constexpr int64_t kMaxHessianChannels = 8192;

/// Opens a library that calibration runs many times (the instrumented model,
/// the error budget's probe) on every core: their runs are the slow part of
/// compiling with --calib, and the kernels give the same floats on any
/// thread count (threads split a product's rows and columns, never its sums).
Expected<std::unique_ptr<LoadedLibrary>> openOnEveryCore(StringRef path) {
  Expected<std::unique_ptr<LoadedLibrary>> library = LoadedLibrary::open(path);
  if (!library)
    return library.takeError();
  int cores = llvm::heavyweight_hardware_concurrency().compute_thread_count();
  if (Error error = (*library)->setThreads(std::max(cores, 1)))
    return std::move(error);
  return library;
}

Expected<Measured> measureRanges(StringRef libraryPath,
                                 ArrayRef<std::string> files,
                                 CalibrationMethod method, bool perChannel,
                                 bool hessians, bool verbose) {
  Expected<std::unique_ptr<LoadedLibrary>> library =
      openOnEveryCore(libraryPath);
  if (!library)
    return library.takeError();
  // The extra outputs, by the index in their name.
  std::vector<int64_t> outputIndex; // output position -> activation index
  std::vector<int64_t> channelAxis;  // by activation index
  int64_t activations = 0;
  for (const TensorInfo &out : (*library)->outputs()) {
    StringRef name = out.name;
    int64_t index = -1, axis = -1;
    if (name.consume_front(quant::kCalibrationOutputPrefix)) {
      auto [indexText, rest] = name.split('.');
      if (indexText.getAsInteger(10, index) ||
          rest.split('.').first.getAsInteger(10, axis))
        index = -1;
      activations = std::max(activations, index + 1);
      if (index >= 0) {
        channelAxis.resize(activations, -1);
        channelAxis[index] = axis;
      }
    }
    outputIndex.push_back(index);
  }
  auto valuesOf = [](const HostTensor &t) {
    return reinterpret_cast<const float *>(t.bytes.data());
  };

  // The library on every file, each float activation folded into its range,
  // channels and (for w4) Hessian.
  std::vector<Range> ranges(activations);
  std::vector<std::optional<quant::HessianAccumulator>> products(activations);
  for (auto [i, file] : llvm::enumerate(files)) {
    Expected<std::vector<HostTensor>> inputs = readInputSet(file, **library);
    if (!inputs)
      return inputs.takeError();
    Expected<std::vector<HostTensor>> outputs = (*library)->run(*inputs);
    if (!outputs)
      return fail("calibration file '" + file + "': " +
                  llvm::toString(outputs.takeError()));
    for (auto [position, t] : llvm::enumerate(*outputs)) {
      int64_t index = outputIndex[position];
      if (index < 0 || t.dtype != QC_DTYPE_F32)
        continue;
      ranges[index].add(valuesOf(t), t.numElements(), method);
      if (perChannel)
        ranges[index].addChannels(valuesOf(t), t.dims, channelAxis[index]);
      int64_t k = t.dims.empty() ? 0 : t.dims.back();
      if (!hessians || k <= 0 || k > kMaxHessianChannels)
        continue;
      std::optional<quant::HessianAccumulator> &h = products[index];
      if (!h)
        h.emplace(k);
      if (h->channels() == k)
        h->add(valuesOf(t), t.numElements() / k);
    }
    if (verbose)
      llvm::errs() << "quantc: calibrated on " << (i + 1) << "/" << files.size()
                   << " (" << file << ")\n";
  }
  Measured result;
  for (const Range &r : ranges) {
    result.ranges.push_back(r.result(method));
    result.channels.push_back(r.channels());
  }
  if (hessians)
    for (const std::optional<quant::HessianAccumulator> &h : products) {
      result.hessians.push_back(h ? h->hessian() : std::vector<float>());
      result.meanAbs.push_back(h ? h->meanAbs() : std::vector<float>());
    }
  return result;
}

/// --int8-error-budget: which static-int8 candidates stay float so that the
/// outputs on the calibration inputs stay within `budget` (relative RMS
/// over every float output) of the float model's. `probePath` is the model
/// in qc-quantize-static's probe mode. Each candidate is first measured
/// alone; then, all quantized, the one that cost the most alone goes back
/// to float, then the next, until the outputs are within the budget.
/// Returns a reason per candidate ("" where it is quantized).
Expected<std::vector<std::string>> chooseFloatOps(StringRef probePath,
                                                  ArrayRef<std::string> files,
                                                  float budget, bool verbose) {
  Expected<std::unique_ptr<LoadedLibrary>> library = openOnEveryCore(probePath);
  if (!library)
    return library.takeError();
  const TensorInfo *maskInfo = nullptr;
  for (const TensorInfo &in : (*library)->inputs())
    if (in.name == quant::kProbeMaskInput)
      maskInfo = &in;
  if (!maskInfo || maskInfo->dims.size() != 1)
    return fail("the probe library has no '" + quant::kProbeMaskInput + "' input");
  int64_t candidates = maskInfo->dims.front();

  // The inputs stay in memory: every candidate runs over all of them.
  std::vector<std::vector<HostTensor>> sets;
  for (const std::string &file : files) {
    Expected<std::vector<HostTensor>> inputs = readInputSet(file, **library);
    if (!inputs)
      return inputs.takeError();
    inputs->push_back(HostTensor::zeros(quant::kProbeMaskInput.str(),
                                        QC_DTYPE_F32, {candidates}));
    sets.push_back(std::move(*inputs));
  }
  std::vector<std::vector<HostTensor>> reference;
  // The outputs' relative RMS distance from the reference under `mask`
  // (the reference itself is taken with every candidate float).
  auto distance = [&](ArrayRef<float> mask) -> Expected<double> {
    double sse = 0, ss = 0;
    for (auto [i, set] : llvm::enumerate(sets)) {
      std::memcpy(set.back().bytes.data(), mask.data(), mask.size() * sizeof(float));
      Expected<std::vector<HostTensor>> outputs = (*library)->run(set);
      if (!outputs)
        return fail("calibration file '" + files[i] + "': " +
                    llvm::toString(outputs.takeError()));
      if (reference.size() < sets.size()) {
        reference.push_back(std::move(*outputs));
        continue;
      }
      for (auto [got, want] : llvm::zip_equal(*outputs, reference[i])) {
        if (got.dtype != QC_DTYPE_F32 || got.bytes.size() != want.bytes.size())
          continue;
        const auto *g = reinterpret_cast<const float *>(got.bytes.data());
        const auto *w = reinterpret_cast<const float *>(want.bytes.data());
        for (int64_t k = 0, e = got.numElements(); k < e; ++k) {
          sse += double(g[k] - w[k]) * double(g[k] - w[k]);
          ss += double(w[k]) * double(w[k]);
        }
      }
    }
    return ss > 0 ? std::sqrt(sse / ss) : 0.0;
  };
  std::vector<float> mask(candidates, 0.0f);
  if (Expected<double> d = distance(mask); !d)
    return d.takeError();
  std::vector<double> alone(candidates);
  for (int64_t c = 0; c < candidates; ++c) {
    mask[c] = 1.0f;
    Expected<double> d = distance(mask);
    if (!d)
      return d.takeError();
    alone[c] = *d;
    mask[c] = 0.0f;
    if (verbose)
      llvm::errs() << "quantc: --int8-error-budget: op " << (c + 1) << "/"
                   << candidates << " alone in int8 moves the outputs by "
                   << llvm::format("%.3f%%", 100.0 * alone[c]) << "\n";
  }
  std::vector<int64_t> order(candidates);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return alone[a] > alone[b]; });
  std::fill(mask.begin(), mask.end(), 1.0f);
  std::vector<std::string> reasons(candidates);
  Expected<double> total = distance(mask);
  for (int64_t c : order) {
    if (!total)
      return total.takeError();
    if (*total <= budget)
      break;
    mask[c] = 0.0f;
    reasons[c] = llvm::formatv(
        "int8 here alone moves the outputs by {0:F3}% (relative RMS on the "
        "calibration inputs); with it in int8 the model was {1:F3}% from "
        "float, over the {2:F3}% budget",
        100.0 * alone[c], 100.0 * *total, 100.0 * budget);
    total = distance(mask);
  }
  if (!total)
    return total.takeError();
  if (verbose)
    llvm::errs() << "quantc: --int8-error-budget: "
                 << llvm::count_if(reasons, [](const std::string &r) { return !r.empty(); })
                 << " of " << candidates << " ops stay float; the outputs move by "
                 << llvm::format("%.3f%%", 100.0 * *total) << "\n";
  return reasons;
}

/// What the cache keeps of a calibration: each activation's range and its
/// channels' ranges and means.
struct CachedRanges {
  std::vector<std::pair<float, float>> ranges;
  std::vector<quant::ChannelStats> channels;
};

/// The cache's first line. Older versions are refused: version 1 kept
/// ranges only (a model would quietly compile without the per-channel
/// smoothing and bias correction), version 2 not the method that took them.
constexpr StringRef kCacheHeader = "quantc-calibration 3";

/// The cache: kCacheHeader, "method NAME" (--calib-method's), then one line
/// per activation: "lo hi C lo_0 hi_0 mean_0 ... lo_C-1 hi_C-1 mean_C-1"
/// (C = 0: no channels measured). Reading it for another method fails.
Expected<CachedRanges> readCache(StringRef path, CalibrationMethod method) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail("--calib-cache: cannot read '" + path + "'");
  SmallVector<StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, false);
  if (!lines.empty() && (lines.front().trim() == "quantc-calibration 1" ||
                         lines.front().trim() == "quantc-calibration 2"))
    return fail("--calib-cache: '" + path + "' was written by an older quantc (" +
                lines.front().trim() + "); calibrate again with --calib");
  if (lines.empty() || lines.front().trim() != kCacheHeader)
    return fail("--calib-cache: '" + path +
                "' is not a quantc calibration file (its first line is not '" +
                kCacheHeader + "')");
  StringRef methodLine = lines.size() > 1 ? lines[1].trim() : "";
  if (!methodLine.consume_front("method "))
    return fail("--calib-cache: '" + path + "': no 'method' line after the first");
  if (methodLine != calibrationMethodName(method))
    return fail("--calib-cache: '" + path + "' holds ranges taken with --calib-method=" +
                methodLine + ", not " + calibrationMethodName(method) +
                ": pass that method, or calibrate again with --calib");
  CachedRanges cache;
  for (StringRef line : llvm::drop_begin(lines, 2)) {
    SmallVector<StringRef> fields;
    line.trim().split(fields, ' ', -1, false);
    auto bad = [&] {
      return fail("--calib-cache: '" + path + "': bad line '" + line + "'");
    };
    double l, h;
    int64_t channels;
    if (fields.size() < 3 || fields[0].getAsDouble(l) ||
        fields[1].getAsDouble(h) || !(l <= h) ||
        fields[2].getAsInteger(10, channels) || channels < 0 ||
        int64_t(fields.size()) != 3 + 3 * channels)
      return bad();
    cache.ranges.emplace_back(float(l), float(h));
    quant::ChannelStats &stats = cache.channels.emplace_back();
    for (int64_t c = 0; c < channels; ++c) {
      double mean;
      if (fields[3 + 3 * c].getAsDouble(l) || fields[4 + 3 * c].getAsDouble(h) ||
          fields[5 + 3 * c].getAsDouble(mean) || !(l <= mean && mean <= h))
        return bad();
      stats.min.push_back(float(l));
      stats.max.push_back(float(h));
      stats.mean.push_back(float(mean));
    }
  }
  return cache;
}

Error writeCache(StringRef path, const CachedRanges &cache,
                 CalibrationMethod method) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return fail("--calib-cache: cannot write '" + path + "': " + ec.message());
  os << kCacheHeader << "\nmethod " << calibrationMethodName(method) << "\n";
  for (auto [i, range] : llvm::enumerate(cache.ranges)) {
    const quant::ChannelStats &stats = cache.channels[i];
    os << llvm::format("%.9g %.9g %zu", range.first, range.second, stats.min.size());
    for (auto [lo, hi, mean] : llvm::zip_equal(stats.min, stats.max, stats.mean))
      os << llvm::format(" %.9g %.9g %.9g", lo, hi, mean);
    os << "\n";
  }
  return Error::success();
}

} // namespace

const char *calibrationMethodName(CalibrationMethod method) {
  switch (method) {
  case CalibrationMethod::MinMax:
    return "minmax";
  case CalibrationMethod::Percentile:
    return "percentile";
  case CalibrationMethod::Entropy:
    return "entropy";
  case CalibrationMethod::Mse:
    return "mse";
  }
  return "minmax";
}

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
  if (useCache && options.int8ErrorBudget > 0)
    return error(fail("--int8-error-budget needs the calibration inputs, "
                      "which --calib-cache does not keep: calibrate with --calib"));
  if (useCache) {
    Expected<CachedRanges> cache = readCache(calib.cachePath, calib.method);
    if (!cache)
      return error(cache.takeError());
    options.calibrationRanges = std::move(cache->ranges);
    options.calibrationChannels = std::move(cache->channels);
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

  // Temporary libraries of variants of the model, removed (with the header
  // written beside each) when this returns.
  std::vector<std::string> temporaries;
  llvm::scope_exit cleanup([&] {
    for (const std::string &path : temporaries)
      llvm::sys::fs::remove(path);
  });
  auto compileTemporary = [&](CompileOptions variant) -> Expected<std::string> {
    SmallString<256> path;
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "quantc-calibration", "so", path))
      return fail("cannot create a temporary file: " + ec.message());
    SmallString<256> header = path;
    llvm::sys::path::replace_extension(header, "h");
    temporaries.push_back(path.str().str());
    temporaries.push_back(header.str().str());
    variant.emit = EmitStage::Library;
    variant.outputPath = path.str().str();
    variant.memoryPlanSvgPath.clear();
    variant.printDecisions = false;
    if (failed(compileModel(variant, ctx)))
      return fail(""); // compileModel has printed why
    return path.str().str();
  };
  auto failedCompile = [&](Error e) {
    std::string message = llvm::toString(std::move(e));
    if (!message.empty())
      emitError(UnknownLoc::get(&ctx)) << message;
    return failure();
  };

  // 1. The float model with the activations as outputs.
  CompileOptions first = options;
  first.quantize = QuantizeMode::None;
  first.calibrationOutputs = true;
  if (options.verbose)
    llvm::errs() << "quantc: compiling the float model for calibration\n";
  Expected<std::string> instrumented = compileTemporary(first);
  if (!instrumented)
    return failedCompile(instrumented.takeError());

  // 2. Its activations' ranges over the inputs.
  // Per-channel ranges are for int8's qc-smooth-quant, not for w4.
  Expected<Measured> measured = measureRanges(*instrumented, *files, calib.method,
                                              /*perChannel=*/!w4, w4,
                                              options.verbose);
  if (!measured)
    return error(measured.takeError());
  if (!calib.cachePath.empty())
    if (Error e = writeCache(calib.cachePath,
                             {measured->ranges, measured->channels},
                             calib.method))
      return error(std::move(e));

  // The model quantized with them.
  if (w4) {
    options.calibrationHessians = std::move(measured->hessians);
    options.calibrationChannelMeanAbs = std::move(measured->meanAbs);
    return compileModel(options, ctx);
  }
  options.calibrationRanges = std::move(measured->ranges);
  options.calibrationChannels = std::move(measured->channels);
  if (options.int8ErrorBudget > 0) {
    // 3. The same quantization, switchable op by op, to choose which ops
    // the budget keeps float.
    CompileOptions probe = options;
    probe.int8Probe = true;
    if (options.verbose)
      llvm::errs() << "quantc: compiling the model to measure each op's int8 "
                      "error\n";
    Expected<std::string> probePath = compileTemporary(probe);
    if (!probePath)
      return failedCompile(probePath.takeError());
    Expected<std::vector<std::string>> keepFloat = chooseFloatOps(
        *probePath, *files, options.int8ErrorBudget, options.verbose);
    if (!keepFloat)
      return error(keepFloat.takeError());
    options.int8KeepFloat = std::move(*keepFloat);
  }
  return compileModel(options, ctx);
}

} // namespace quantc
