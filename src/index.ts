/**
 * scorelab: a library for research on score-based generative models, and the library behind the scorelab kernel.
 * Everything a magic does is one of these functions, so notebooks, scripts, the CLI and the tests share them.
 * This is the curated `lab` a notebook sees: what a user calls, by names that say what each is. Input validators,
 * backend hooks, native-kernel plumbing and display internals stay in their modules (import them from there);
 * test/public-api.test.ts keeps them out. Renames are listed in the README ("Renamed in the curated lab").
 * @example
 * const lab = require("scorelab");
 * await lab.initBackend();      // chooses the tensor backend
 * lab.describeBackend();        // "tfjs 4.22.0 backend torch on CPU; ..."
 */
export type * from "./tensor";
export { Rng, backendInfo, describeBackend, initBackend, isAbortError } from "./tensor";
export type * from "./sde";
export { SCHEDULES, SCHEDULE_NAMES, SDE_KIND_TABLE, SDE_KIND_NAMES, constantSchedule, cosineSchedule, exponentialSchedule, geometricSchedule,
  halfLogSnrAt, linearSchedule, makeSDE, scheduleFromFullName, scheduleNamed, schedulesFor, sigmaAt, subVpSDE,
  timeAtSigma, userSchedule, veSDE, vpSDE } from "./sde";
export type * from "./train";
export { EpochBatches, MAX_EMA_STD, PowerEma, clipByGlobalNorm, emaDecayAt, gammaToStd, posthocCoefficients,
  powerEmaBeta, profileInnerProduct, reconstructEma, rowsWithReplacement, runTrainer, stdToGamma, trainSettings,
  updateEma } from "./train";
export type * from "./score";
export { NETWORKS, NETWORK_NAMES, ACTIVATIONS, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, LOSS_WEIGHTINGS, MLP, PARAMETERISATIONS, ParamList,
  SAFETENSORS_FILE, SAFETENSORS_FORMAT, SCORE_PARAMS, ScoreNet, TORCH_SCORE_SCRIPT, TRAINING_NOISE, UNet,
  buildNetwork, cloneScoreNet, decodeSafetensors, dsmLoss, embedTime, empiricalDenoiser, empiricalScore, encodeSafetensors,
  gaussianScore, labelTensor, loadModel, loadSafetensorsModel, loadTorchScript, makeEmbedding, mixtureScore,
  mlpConfig, mlpScoreNet, modelToSafetensors, preconditioning, safetensorsPath, saveModel, sdeFromSettings,
  sdeMismatch, sdeSettings, shapeSize, torchName, trainEarlyStopped, trainInPyTorch, trainScore, trainingTimes, unetConfig,
  unetScoreNet, withLabels } from "./score";
export type * from "./sample";
export { GRID_NAMES, KARRAS_RHO, SAMPLERS, SAMPLER_NAMES, convergedLikelihood, ddim, ddpmAncestral, denoiseAt, dpmSolver2M, dpmSolver2S,
  edmHeun, eulerAncestral, eulerMaruyama, flowVelocity, logLikelihood, noiseGrid, odeLogLikelihood,
  predictorCorrector, probabilityFlowHeun, samplerByName, samplerGrid, samplerStudy, timeGrid } from "./sample";
export type * from "./data";
export { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, GaussianMixture, checkerboard, circles, datasetsDir, encodeIdx,
  filterClasses, filterImageClasses, findMnistFiles, flattenImages, singleGaussian, gridGaussians, imageSetToTensor,
  DATASETS, listDatasets, loadDataset, moons, parseIdx, pinwheel, pixelsToSymmetric, readDigits, readFashionMnist, readIdx,
  readMnist, readMnistPair, readTable, ringGaussians, selectImages, subsample, subsampleImages, swissRoll,
  symmetricToPixels, tableToTensor, trainTestSplit, unflattenImages, writeIdx } from "./data";
export type * from "./metrics";
export { dequantize, dequantizedBitsPerDim, downsampleImages, energyDistance, featureCacheDir, featureExtractor,
  float32Scale, frechetDistance, frechetGaussians, gaussianStats, imageBitsPerDim, imageMetrics, kid, mmd2,
  nearestNeighbourDistances, nearestNeighbours, pairwiseSqDist, slicedWasserstein, w1, wassersteinP1D } from "./metrics";
export type * from "./plot";
export { PALETTE, PLOTLY_MIME, ROLE_COLORS, STATIC_FORMATS, axis, baseLayout, boundsFigure, createExporter,
  densityFigure, densityTrace, smoothCurve, exportFigure, exportFigures, figureHtml, fusionWeightsFigure,
  generalizationGapFigure, gridFigure, imageGridFigure, isFigure, lineFigure, lineTraces, samplesFigure,
  scheduleFigure, seriesColor, staticFigureBundle, staticImage, toMimeBundle, trainingCurveFigure,
  trajectoriesFigure, vectorFieldFigure } from "./plot";
export type * from "./table";
export { DANFO_PACKAGES, RESULT_COLUMNS, ResultsTable, loadDanfo, toDanfo } from "./table";

export { sweep, resumeSweep, defineTrial, listTrials, sweepFigure, meanCI, type SweepSpec, type SweepOptions, type SweepResult } from "./sweep";
// The research threads keep their own namespaces (lab.fusion.fuse, lab.bounds.klBound, ...): their study helpers
// share names such as StudyResult, and a namespace says which paper a function belongs to.
export * as fusion from "./fusion";
export * as flow from "./flow";
export * as bounds from "./bounds";
// Small dense linear algebra on arrays of rows (lab.linalg.cholesky, ...): general tools, not part of the bounds.
export * as linalg from "./linalg";
export * as refine from "./refine";
export * as generalization from "./generalization";
export * as check from "./check";
export { verdict, combineReproduced, reproducedFrom, checkClaim, Verdict, VERDICT_MIME, type Reproduced, type VerdictData, type ClaimCheckSpec, type ClaimCheckData } from "./studies";
export * as flowMatching from "./flow-matching";
export * as guidance from "./guidance";
