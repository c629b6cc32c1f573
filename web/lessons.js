// The prepared comparisons: each is an experiment spec (the same format as a share link) with a
// title and a two-line explanation. The numbers were chosen by running them, so each lesson shows
// its point within the first few hundred steps.
import { DEFAULT_EXPERIMENT, DEFAULT_NETWORK } from './state.js';

export const LESSONS = [
  {
    id: 'four-on-rosenbrock',
    title: 'Four optimizers on Rosenbrock',
    text: 'The same start for SGD, Momentum, RMSprop and Adam in a curved, flat-bottomed valley. '
      + 'All reach the valley at once; along its floor plain SGD crawls, Momentum and Adam build up speed.',
    spec: DEFAULT_EXPERIMENT,
  },
  {
    id: 'ravine',
    title: 'SGD vs Momentum in a ravine',
    text: 'The walls are ten times steeper than the floor, so SGD needs an lr near its limit (0.2) to move along the floor, and then zig-zags across it. '
      + 'Momentum, with half that lr, averages the zig-zag away and gets within 1e-4 about three times sooner.',
    spec: {
      problem: { name: 'quadratic' },
      start: [-2.5, 1.5],
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'sgd', lr: 0.19, label: 'SGD', color: '#0072b2' },
        { name: 'sgd', lr: 0.1, momentum: 0.5, label: 'Momentum', color: '#e69f00' },
      ],
    },
  },
  {
    id: 'nesterov',
    title: 'Nesterov vs Momentum',
    text: 'Same lr, same momentum 0.9. Nesterov adds the gradient after the momentum step, a look ahead, '
      + 'so it feels the far wall before it hits it: it barely overshoots and converges about three times sooner.',
    spec: {
      problem: { name: 'quadratic' },
      start: [-2.5, 1.5],
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'sgd', lr: 0.1, momentum: 0.9, label: 'Momentum', color: '#e69f00' },
        { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, label: 'Nesterov', color: '#009e73' },
      ],
    },
  },
  {
    id: 'adagrad-rmsprop',
    title: "AdaGrad's shrinking steps vs RMSprop",
    text: 'Both take the same first step (0.1 in x and in y). AdaGrad divides by the root of every squared gradient so far, '
      + 'so its steps only shrink and it stalls short of the minimum at (3, 0.5); RMSprop forgets old gradients and keeps going.',
    spec: {
      problem: { name: 'beale' },
      start: [1, 1.5],
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'adagrad', lr: 0.1, label: 'AdaGrad', color: '#d55e00' },
        { name: 'rmsprop', lr: 0.01, label: 'RMSprop', color: '#009e73' },
      ],
      view: { xmin: -0.5, xmax: 4, ymin: -1, ymax: 2.5 },
    },
  },
  {
    id: 'adam-rmsprop',
    title: 'Adam vs RMSprop on Rosenbrock',
    text: "Both divide by a running RMS of the gradient, so both first steps are 0.1 in x and in y, whatever the gradient's size. "
      + 'Adam also keeps a running mean of the gradient (momentum), which carries it along the curved valley floor.',
    spec: {
      problem: { name: 'rosenbrock' },
      start: [-1.5, 2],
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'rmsprop', lr: 0.01, label: 'RMSprop', color: '#009e73' },
        { name: 'adam', lr: 0.1, label: 'Adam', color: '#cc79a7' },
      ],
    },
  },
  {
    id: 'saddle',
    title: 'Escaping a saddle point',
    text: 'The start is a hair (1e-4) off the ridge of x² − y², where the gradient across it is tiny: SGD slides into the saddle and lingers for about 150 steps. '
      + 'Adam divides the tiny gradient by its own size and escapes at once. Try gradient noise on SGD too.',
    spec: {
      problem: { name: 'saddle' },
      start: [-1.5, 1e-4],
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'sgd', lr: 0.02, label: 'SGD', color: '#0072b2' },
        { name: 'adam', lr: 0.05, label: 'Adam', color: '#cc79a7' },
      ],
    },
  },
  {
    id: 'too-large',
    title: 'A learning rate too large',
    text: 'In this ravine SGD is stable only while lr < 2/10 (10 is the steepest curvature). '
      + 'At 0.19 it zig-zags but converges; at 0.22 every bounce is 20% bigger than the last, until the run diverges at step 70.',
    spec: {
      problem: { name: 'quadratic' },
      start: [-2.5, 1.5],
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'sgd', lr: 0.19, label: 'SGD lr 0.19', color: '#0072b2' },
        { name: 'sgd', lr: 0.22, label: 'SGD lr 0.22', color: '#d55e00' },
      ],
    },
  },
  {
    // Every claim is checked against the core's numbers by tests/e2e/lessons_schedule.test.mjs.
    id: 'warm-up',
    title: 'Warm-up then cosine',
    text: 'Adam at lr 0.5 on Rosenbrock: its first step moves each weight by the full lr, so the loss jumps from 12.5 to over 200 and keeps leaping above 30 for steps. '
      + 'With a linear_lr warm-up (the first step uses lr 0.01, then up to 0.5 over 20 steps) followed by cosine_annealing_lr, joined by sequential_lr, '
      + 'the first step lowers the loss and it never exceeds 15 in the first 30 steps. Warm-up is about the start: here the run without it still ends lower at step 200.',
    spec: {
      problem: { name: 'rosenbrock' },
      start: [-1.5, 2],
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'adam', lr: 0.5, label: 'Adam lr 0.5', color: '#d55e00' },
        {
          name: 'adam', lr: 0.5, label: 'Adam + warm-up + cosine', color: '#0072b2',
          scheduler: {
            name: 'sequential_lr', milestones: [20],
            schedulers: [{ name: 'linear_lr', start_factor: 0.02, total_iters: 20 }, { name: 'cosine_annealing_lr', T_max: 180 }],
          },
        },
      ],
    },
  },
  {
    // Every claim is checked against the core's numbers by tests/e2e/lessons_schedule.test.mjs.
    id: 'step-decay',
    title: 'Step decay rescues a too-large lr',
    text: 'At lr 0.21, above SGD\'s limit 2/10 in this ravine, each bounce across it is bigger than the last: by step 20 the loss has grown from 14 to over 500. '
      + 'step_lr halves the lr at step 20 (to 0.105, below the limit), and five steps later its loss is below 0.001, while the run that keeps lr 0.21 goes on growing. '
      + 'Open the lr panel to see the step.',
    spec: {
      problem: { name: 'quadratic' },
      start: [-2.5, 1.5],
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'sgd', lr: 0.21, label: 'SGD lr 0.21', color: '#d55e00' },
        { name: 'sgd', lr: 0.21, label: 'SGD + step_lr', color: '#0072b2', scheduler: { name: 'step_lr', step_size: 20, gamma: 0.5 } },
      ],
    },
  },
  {
    // Every claim is checked against the core's numbers by tests/e2e/lessons_schedule.test.mjs.
    id: 'one-cycle',
    title: 'One-cycle',
    text: 'SGD with momentum 0.9 on Rosenbrock for 300 steps. one_cycle_lr starts the lr at max_lr/25 (0.00004), warms it up to max_lr 0.001 around step 90, '
      + 'then anneals it to almost 0 by step 300. It starts slower than a constant lr 0.0004 (higher loss at step 30), is ahead by step 90, '
      + 'and ends with a lower loss (about 1.2 against 1.9).',
    spec: {
      problem: { name: 'rosenbrock' },
      start: [-1.5, 2],
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'sgd', lr: 0.0004, momentum: 0.9, label: 'Momentum lr 0.0004', color: '#e69f00' },
        { name: 'sgd', lr: 0.0004, momentum: 0.9, label: 'Momentum + one_cycle_lr', color: '#0072b2', scheduler: { name: 'one_cycle_lr', max_lr: 0.001, total_steps: 300 } },
      ],
    },
  },
  {
    // The claims are the session's numbers (tests/e2e/lessons_fit.test.mjs checks them).
    id: 'batch-sizes',
    title: 'Batch 1, 8 and full batch',
    text: 'A line w·x + b fitted to 64 noisy points, the same lr 0.05, three batch sizes. Full batch walks straight downhill, batch 1 wanders '
      + '(each step follows one point\'s gradient), yet after 200 steps all three are within 0.03 of the least-squares loss. '
      + 'Per epoch, small batches get further: after one pass over the data (64 steps) batch 1 is almost there, while full batch has taken one step.',
    spec: {
      problem: { name: 'fit', model: 'line', data: { name: 'noisy_line', n: 64, seed: 1 } },
      start: [-1, 3.5],
      steps: 0,
      seed: 1,
      optimizers: [
        { name: 'sgd', lr: 0.05, batch_size: 1, label: 'batch 1', color: '#d55e00' },
        { name: 'sgd', lr: 0.05, batch_size: 8, label: 'batch 8', color: '#0072b2' },
        { name: 'sgd', lr: 0.05, label: 'full batch', color: '#009e73' },
      ],
    },
  },
  {
    id: 'adagrad-sparse',
    title: 'AdaGrad on a sparse feature',
    text: 'Logistic regression where x₂ is zero in 95 % of the points but decides the label where it is not. In most mini-batches w₂\'s gradient is 0, '
      + 'so SGD moves it slowly; AdaGrad divides each weight\'s step by the root of its own squared gradients, so the rare w₂ gets big steps: '
      + 'after 200 steps its w₂ is about twice SGD\'s while w₁ ends about the same. Compare the per-weight step sizes in the inspector.',
    spec: {
      problem: { name: 'fit', model: 'logistic', data: { name: 'sparse_features', n: 200, density: 0.05, seed: 1 }, batch_size: 10 },
      start: [0, 0],
      steps: 0,
      seed: 1,
      optimizers: [
        { name: 'sgd', lr: 0.1, label: 'SGD', color: '#0072b2' },
        { name: 'adagrad', lr: 0.1, label: 'AdaGrad', color: '#d55e00' },
      ],
    },
  },
  {
    id: 'momentum-batch-noise',
    title: 'Momentum averages mini-batch noise',
    text: 'Both runs see the same batches of 4 points and take the same average step: SGD at lr 0.05, Momentum 0.9 at lr 0.005 (lr / (1 − momentum) = 0.05). '
      + 'Each SGD step follows one small batch\'s noisy gradient, so near the minimum it jitters: over steps 300 to 600 its path is more than four times longer than Momentum\'s, '
      + 'whose velocity averages about the last ten batches, and Momentum\'s loss stays closer to the minimum there. Momentum needs more steps to get going.',
    spec: {
      problem: { name: 'fit', model: 'line', data: { name: 'noisy_line', n: 64, seed: 1 }, batch_size: 4 },
      start: [-1, 3.5],
      steps: 0,
      seed: 1,
      optimizers: [
        { name: 'sgd', lr: 0.05, label: 'SGD', color: '#0072b2' },
        { name: 'sgd', lr: 0.005, momentum: 0.9, label: 'Momentum', color: '#e69f00' },
      ],
    },
  },
  {
    id: 'lr-and-batch',
    title: 'Learning rate and batch size',
    text: 'Halving the batch from 8 to 4 doubles the noise in each gradient. With the same lr 0.05 the end of the walk is noisier: over steps 400 to 800 its loss sits about three times as far above the minimum as batch 8\'s. '
      + 'Halving the lr too (0.025) brings the noise back to batch 8\'s level, at half the step: it needs about twice the steps, the same number of examples. Switch the loss chart\'s x axis to "examples seen".',
    spec: {
      problem: { name: 'fit', model: 'line', data: { name: 'noisy_line', n: 64, seed: 1 } },
      start: [-1, 3.5],
      steps: 0,
      seed: 1,
      optimizers: [
        { name: 'sgd', lr: 0.05, batch_size: 8, label: 'batch 8, lr 0.05', color: '#0072b2' },
        { name: 'sgd', lr: 0.05, batch_size: 4, label: 'batch 4, lr 0.05', color: '#d55e00' },
        { name: 'sgd', lr: 0.025, batch_size: 4, label: 'batch 4, lr 0.025', color: '#009e73' },
      ],
    },
  },
  {
    id: 'network-batch-sizes',
    title: 'Batch 1, 32 and full batch on a network',
    text: 'The same 2-8-8-1 tanh network, the same initial weights, SGD at lr 0.1 on mini-batches of 1, 32 and all 160 training points. '
      + 'Per step they are alike: after 400 steps their losses are within 0.03 of each other. Per epoch batch 1 is far ahead: one epoch is 160 of its steps, 5 of batch 32\'s and 1 of full batch\'s. '
      + 'Switch the loss chart\'s x axis to epochs.',
    spec: {
      problem: {
        name: 'mlp', data: { name: 'moons', n: 200, noise: 0.1, seed: 1, test_fraction: 0.2 }, layers: [2, 8, 8, 1],
        activation: 'tanh', loss: 'bce', batch_size: 32, init: { seed: 1 },
      },
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'sgd', lr: 0.1, batch_size: 1, label: 'batch 1', color: '#d55e00' },
        { name: 'sgd', lr: 0.1, label: 'batch 32', color: '#0072b2' },
        { name: 'sgd', lr: 0.1, batch_size: null, label: 'full batch', color: '#009e73' },
      ],
    },
  },
  {
    id: 'network-spiral',
    title: 'SGD, Momentum and Adam train a network on a spiral',
    text: 'The same 2-16-16-1 tanh network, the same initial weights and the same mini-batches of 32 points. '
      + 'Watch each decision boundary curl around the arms, and the weight-space paths leave the same start in different directions.',
    spec: DEFAULT_NETWORK,
  },
  {
    id: 'network-backprop',
    title: 'Backprop on a 2-2-1 network (XOR)',
    // The accuracy claimed here is the session's (tests/e2e/network_finish.test.mjs checks it): two
    // tanh units do not separate all four noisy quadrants.
    text: 'A network small enough to follow every number. Under "Backprop you can watch", press Forward, then Backward: '
      + 'every node fills with its value, then with the gradient of the loss, exactly as the C++ tape computed them. '
      + 'Two tanh units cannot cut out all four quadrants: after 300 steps Adam classifies 81 % of the training points. '
      + 'Widen the hidden layer to 4 and it gets further.',
    spec: {
      problem: {
        name: 'mlp', data: { name: 'xor', n: 100, noise: 0.1, seed: 1 }, layers: [2, 2, 1],
        activation: 'tanh', loss: 'bce', batch_size: null, init: { seed: 3 },
      },
      steps: 0,
      seed: 0,
      optimizers: [{ name: 'adam', lr: 0.05, label: 'Adam', color: '#cc79a7' }],
    },
  },
];

// The lesson an experiment is (same problem, start, seed and hyperparameters; names and colours may
// differ), so a shared link to a lesson still shows its explanation.
export function lessonOf(spec) {
  const bare = (runs) => runs.map(({ label, color, ...run }) => run);
  const key = (s) => JSON.stringify([s.problem, s.start, s.seed ?? 0, bare(s.optimizers)]);
  const k = key(spec);
  return LESSONS.find((l) => key(l.spec) === k) ?? null;
}
