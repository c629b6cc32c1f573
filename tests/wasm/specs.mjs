// Specs shared by the wasm tests: every optimizer and option family, built-in and typed-in
// problems, noise, and divergence.
export const specs = {
  'rosenbrock-all-optimizers': {
    problem: { name: 'rosenbrock' }, start: [-1.5, 2.0], steps: 300, seed: 0,
    optimizers: [
      { name: 'sgd', lr: 0.0005 },
      { name: 'sgd', lr: 0.0005, momentum: 0.9, dampening: 0.1, weight_decay: 0.01 },
      { name: 'sgd', lr: 0.0005, momentum: 0.9, nesterov: true, label: 'Nesterov' },
      { name: 'adagrad', lr: 0.1, lr_decay: 0.01, initial_accumulator_value: 0.1 },
      { name: 'rmsprop', lr: 0.005, momentum: 0.5, centered: true },
      { name: 'adam', lr: 0.02, amsgrad: true, weight_decay: 0.001 },
      { name: 'adamw', lr: 0.02 },
      { name: 'adamax', lr: 0.02 },
    ],
  },
  'beale-more-optimizers': {
    problem: { name: 'beale' }, start: [1, 1.5], steps: 200,
    optimizers: [
      { name: 'nadam', lr: 0.01, momentum_decay: 0.004 },
      { name: 'radam', lr: 0.01 },
      { name: 'adadelta', lr: 1.0, rho: 0.95 },
      { name: 'rmsprop' },
    ],
  },
  'rprop-asgd-and-schedulers-with-noise': {
    problem: { name: 'rosenbrock', noise: 0.3 }, start: [-1.5, 2], steps: 300, seed: 4,
    optimizers: [
      { name: 'rprop', lr: 0.01, etas: [0.4, 1.3], step_sizes: [1e-5, 0.5] },
      { name: 'asgd', lr: 0.001, t0: 100, scheduler: { name: 'reduce_lr_on_plateau', patience: 5 } },
      { name: 'adam', lr: 0.02, scheduler: { name: 'cosine_annealing_warm_restarts', T_0: 20, T_mult: 2 } },
      { name: 'sgd', lr: 0.001, momentum: 0.9, scheduler: { name: 'one_cycle_lr', max_lr: 0.002, three_phase: true } },
      { name: 'nadam', lr: 0.01, scheduler: { name: 'cyclic_lr', base_lr: 0.001, max_lr: 0.02, step_size_up: 30 } },
    ],
  },
  'formula-with-functions': {
    problem: { expr: 'sin(x)*cos(y) + 0.1*(x^2 + y^2) + exp(-abs(x)) + tanh(y) + sigmoid(x*y) + log(1 + x^2) + sqrt(1 + y^2)' },
    start: [1.2, -0.7], steps: 150,
    optimizers: [{ name: 'adam', lr: 0.05 }, { name: 'sgd', lr: 0.05, momentum: 0.8 }],
  },
  'rastrigin-ackley-noise': {
    problem: { name: 'rastrigin', noise: 1.5 }, start: [2.2, -1.7], steps: 200, seed: 42,
    optimizers: [{ name: 'adam', lr: 0.05 }, { name: 'sgd', lr: 0.002, momentum: 0.9 }],
  },
  'ackley': {
    problem: { name: 'ackley' }, steps: 200,
    optimizers: [{ name: 'rmsprop', lr: 0.01 }, { name: 'radam', lr: 0.05 }],
  },
  'diverging': {
    problem: { name: 'quadratic' }, start: [0.5, 1], steps: 100,
    optimizers: [{ name: 'sgd', lr: 0.3 }, { name: 'sgd', lr: 0.05 }, { name: 'radam', lr: 10 }],
  },
  'nan-divergence': {
    problem: { expr: 'log(x) + y^2' }, start: [1, 0], steps: 5,
    optimizers: [{ name: 'sgd', lr: 10 }],
  },
};

export const badSpecs = [
  ['{"problem": {"name": "rosenbrock"}, "steps": 10, "optimizers": [{"name": "adam", "lr": -1}]}', 'optimizers[0].lr: Invalid learning rate: -1'],
  ['{"problem": {"expr": "(x+1))"}, "steps": 10, "optimizers": [{"name": "adam"}]}', "problem.expr: unexpected ')' at column 6"],
  ['{"problem": {"name": "rosenbrock"}, "steps": 10, "optimizers": [{"name": "adamm"}]}', "optimizers[0].name: unknown optimizer 'adamm'"],
  ['{"problem": {"name": "rosenbrock"}, "steps": -1, "optimizers": [{"name": "adam"}]}', 'steps: expected a whole number'],
  ['not json', 'invalid JSON'],
];

// Eight runs for long sessions (issue 5: bounded memory), in tests/wasm/long_session.test.mjs and
// tests/bench/memory_bench.mjs.
export const longLandscape = {
  problem: { name: 'rosenbrock', noise: 0.3 }, steps: 0, seed: 5,
  optimizers: [
    { name: 'sgd', lr: 0.0005 }, { name: 'sgd', lr: 0.0005, momentum: 0.9 },
    { name: 'sgd', lr: 0.0005, momentum: 0.9, nesterov: true }, { name: 'adagrad', lr: 0.1 },
    { name: 'rmsprop', lr: 0.001 }, { name: 'adam', lr: 0.01 }, { name: 'adamw', lr: 0.01 },
    { name: 'sgd', lr: 0.01 },  // diverges early: its short history must not confuse the others
  ],
};

export const longNetwork = {
  problem: {
    name: 'mlp', data: { name: 'spiral', n: 64, noise: 0.1, seed: 1, test_fraction: 0.25 },
    layers: [2, 16, 16, 1], activation: 'tanh', loss: 'bce', batch_size: 16, init: { seed: 1 },
  },
  steps: 0, seed: 2,
  optimizers: longLandscape.optimizers.slice(0, 7).concat([{ name: 'nadam', lr: 0.01 }]),
};
