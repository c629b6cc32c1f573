// The lecture: ten chapters that tell one story, from back-propagation to Adam. Each chapter is
// an experiment spec (the same format as a share link and a lesson) with its title, a few
// sentences, the update rule in TeX, one "try this" and one prediction question with its answer.
// Every sentence that states a number about the experiment is checked against the core's numbers
// in tests/wasm/lecture.test.mjs, so edit a sentence and its test together.
import { DEFAULT_EXPERIMENT } from './state.js';
import { LESSONS } from './lessons.js';

const lesson = (id) => LESSONS.find((l) => l.id === id).spec;
const RAVINE = { problem: { name: 'quadratic' }, start: [-2.5, 1.5], steps: 0, seed: 0 };

export const CHAPTERS = [
  {
    title: 'Backprop on a tiny network',
    text: [
      'This network (2 inputs, 2 tanh units, 1 output) has 9 weights; its loss is the cross-entropy of its outputs on 100 noisy XOR points.',
      'Back-propagation applies the chain rule backwards from the loss, node by node, and so gets the gradient with respect to every weight in one pass.',
      'A gradient says how the loss changes when its weight moves a little: the largest here is −0.134, and nudging that weight up by 0.001 lowers the loss by 0.000134, to within 1 %.',
    ],
    rule: String.raw`\frac{\partial L}{\partial w} = \frac{\partial L}{\partial \hat y}\,\frac{\partial \hat y}{\partial h}\,\frac{\partial h}{\partial w}`,
    spec: lesson('network-backprop'),
    tryThis: 'Under “Backprop you can watch”, press Forward, then Backward, and follow the gradient from the loss back to one weight.',
    question: 'After 300 steps of Adam, what share of the training points does this network classify correctly?',
    answer: '81 %: two tanh units cannot cut out all four quadrants.',
  },
  {
    title: 'The loss is a surface over the weights',
    text: [
      'Each point of this plane is one line w·x + b through 64 noisy points; its height is that line’s mean squared error.',
      'The surface is a bowl whose lowest point is the least-squares line, w ≈ 1.99 and b ≈ 1.07, where the loss is 0.206.',
      'The gradient points uphill, across the contour lines, and gradient descent steps the opposite way.',
      'From the start (−1, 3.5), where the loss is 21.6, gradient descent at lr 0.05 comes within 0.01 of the bottom in 28 steps.',
    ],
    rule: String.raw`L(w, b) = \frac{1}{n}\sum_{i=1}^{n} \left(w\,x_i + b - y_i\right)^2`,
    spec: {
      problem: { name: 'fit', model: 'line', data: { name: 'noisy_line', n: 64, seed: 1 } },
      start: [-1, 3.5],
      steps: 0,
      seed: 1,
      optimizers: [{ name: 'sgd', lr: 0.05, label: 'Gradient descent', color: '#0072b2' }],
    },
    tryThis: 'Click anywhere on the plot to start from there, then press Play.',
    question: 'Does the steepest way down point at the lowest point?',
    answer: 'Not in general: it is at right angles to the contour line, which aims at the centre only where the contours are circles.',
  },
  {
    title: 'Gradient descent and the learning rate',
    text: [
      'Here the loss is ½(x² + 10y²): across the ravine (y) it curves ten times more than along it (x).',
      'At lr 0.01 the steps are safe but small: after 100 steps the loss is still 0.42.',
      'At lr 0.1 the run comes within 1e-4 of the minimum in 50 steps.',
      'At lr 0.25 every bounce across the ravine is 1.5 times the last, and the run diverges at step 32.',
      'Gradient descent is stable here only for lr below 2/10 = 0.2.',
    ],
    rule: String.raw`\theta_t = \theta_{t-1} - \text{lr}\cdot\nabla L(\theta_{t-1})`,
    spec: {
      ...RAVINE,
      optimizers: [
        { name: 'sgd', lr: 0.01, label: 'lr 0.01', color: '#0072b2' },
        { name: 'sgd', lr: 0.1, label: 'lr 0.1', color: '#009e73' },
        { name: 'sgd', lr: 0.25, label: 'lr 0.25', color: '#d55e00' },
      ],
    },
    tryThis: 'Set the lr 0.1 run’s lr to 0.2 and press Play.',
    question: 'At lr exactly 0.2, does the run converge, diverge, or neither?',
    answer: 'Neither: 1 − 0.2·10 = −1, so y flips between 1.5 and −1.5 for ever while x still converges.',
  },
  {
    title: 'Mini-batches: stochastic gradient descent',
    text: [
      'Real training does not compute the gradient over all the data for every step: it takes a mini-batch.',
      'Here a line is fitted to 64 points with lr 0.05 and batches of 1, 8 and all 64: batch 1 wanders, while full batch walks straight downhill.',
      'After 200 steps all three are within 0.03 of the least-squares loss.',
      'Per pass over the data, small batches get further: after 64 steps batch 1 is within 0.01, while full batch has taken one step.',
    ],
    rule: String.raw`\theta_t = \theta_{t-1} - \text{lr}\cdot\frac{1}{|B_t|}\sum_{i\in B_t}\nabla \ell_i(\theta_{t-1})`,
    spec: lesson('batch-sizes'),
    tryThis: 'Tick “Show this mini-batch’s landscape” under the data and press Step a few times.',
    question: 'After 200 steps, which of the three has the lowest loss?',
    answer: 'Full batch, but only just: every run is within 0.03 of the minimum, and batch 1 used 200 points where full batch used 12,800.',
  },
  {
    title: 'Momentum in a ravine',
    text: [
      'In the ravine of chapter 3, SGD needs an lr near its limit (0.19) to move along the floor, zig-zags across it, and takes 56 steps to come within 1e-4.',
      'Momentum keeps a velocity: each step adds the gradient to a fraction μ of the last step, so the zig-zags cancel while the pushes along the floor add up.',
      'With half the lr (0.1) and μ = 0.5 it comes within 1e-4 in 17 steps, three times sooner.',
    ],
    rule: String.raw`b_t = \mu\, b_{t-1} + g_t,\qquad \theta_t = \theta_{t-1} - \text{lr}\cdot b_t`,
    spec: lesson('ravine'),
    tryThis: 'Raise Momentum’s momentum to 0.9 and press Play.',
    question: 'Is more momentum always faster?',
    answer: 'No: at μ = 0.9 it overshoots along the floor and needs 74 steps.',
  },
  {
    title: 'AdaGrad: a step size for each weight',
    text: [
      'Logistic regression where the feature x₂ is zero in 95 % of the points but decides the label where it is not.',
      'In most mini-batches w₂’s gradient is 0, and SGD, with one lr for every weight, moves w₂ slowly.',
      'AdaGrad divides each weight’s step by the root of its own summed squared gradients, so the rare w₂ gets larger steps than w₁.',
      'After 200 steps AdaGrad’s w₂ is about twice SGD’s, while w₁ ends about the same.',
    ],
    rule: String.raw`s_t = s_{t-1} + g_t^2,\qquad \theta_t = \theta_{t-1} - \text{lr}\cdot\frac{g_t}{\sqrt{s_t} + \varepsilon}`,
    spec: lesson('adagrad-sparse'),
    tryThis: 'Select the AdaGrad run in the inspector and compare the step sizes of w₁ and w₂.',
    question: 'What happens to AdaGrad’s step sizes if it trains ten times longer?',
    answer: 'They keep shrinking: s only grows, so after 2000 steps both weights’ step sizes are smaller than after 200.',
  },
  {
    title: 'RMSprop forgets',
    text: [
      'On Beale’s function AdaGrad and RMSprop take the same first step, 0.1 in x and in y.',
      'AdaGrad’s sum only grows, so its steps only shrink: after 1000 steps it is still at loss 0.07, short of the minimum at (3, 0.5).',
      'RMSprop keeps a running average of g² instead, which forgets old gradients, and comes within 1e-4 of the minimum at step 791.',
    ],
    rule: String.raw`v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2,\qquad \theta_t = \theta_{t-1} - \text{lr}\cdot\frac{g_t}{\sqrt{v_t} + \varepsilon}`,
    spec: lesson('adagrad-rmsprop'),
    tryThis: 'Set RMSprop’s alpha to 0.9 and press Play.',
    question: 'With alpha = 0, what does RMSprop divide the gradient by?',
    answer: 'By |g| + ε: every step is lr times the gradient’s sign, whatever its size.',
  },
  {
    title: 'Adam and its bias correction',
    text: [
      'Adam keeps a running mean of the gradient (momentum, β₁ = 0.9) and of its square (RMSprop, β₂ = 0.999), both started at zero.',
      'Both are biased toward zero at first, so Adam divides them by 1 − βᵗ: its first step is lr = 0.1 in each coordinate, whatever the gradient’s size.',
      'Without the correction (bias_correction: false, an OptLab option that torch does not have) the first step is 0.316 instead.',
      'Here the uncorrected run still arrives, later: within 1e-4 at step 80 instead of 66.',
    ],
    rule: String.raw`\begin{aligned} m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t \\ v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\ \theta_t &= \theta_{t-1} - \text{lr}\,\frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \varepsilon} \end{aligned}`,
    spec: {
      ...RAVINE,
      optimizers: [
        { name: 'adam', lr: 0.1, label: 'Adam', color: '#cc79a7' },
        { name: 'adam', lr: 0.1, bias_correction: false, label: 'Adam, no bias correction', color: '#e69f00' },
      ],
    },
    tryThis: 'Press Step three times and compare the two runs’ equations in the inspector.',
    question: 'Which way does the uncorrected first step err: too short or too long?',
    answer: 'Too long: m = 0.1·g but √v = 0.0316·|g|, so m/√v is 3.16 times the corrected ratio.',
  },
  {
    title: 'All of them on a network',
    text: [
      'The same 2-16-16-1 tanh network, the same initial weights and the same mini-batches of 32 spiral points for all five optimizers.',
      'After 1000 steps plain SGD has barely moved: its training loss fell from 0.70 to 0.66.',
      'By then RMSprop and Adam classify more than 85 % of the training points, Momentum and AdaGrad more than 75 %.',
    ],
    rule: String.raw`\Delta\theta = -\text{lr}\cdot\left\{\, g,\ \ b,\ \ \frac{g}{\sqrt{s}},\ \ \frac{g}{\sqrt{v}},\ \ \frac{\hat m}{\sqrt{\hat v}} \,\right\}`,
    spec: {
      problem: {
        name: 'mlp', data: { name: 'spiral', n: 200, classes: 2, noise: 0.1, seed: 1, test_fraction: 0.2 },
        layers: [2, 16, 16, 1], activation: 'tanh', loss: 'bce', batch_size: 32, init: { seed: 1 },
      },
      steps: 0,
      seed: 0,
      optimizers: [
        { name: 'sgd', lr: 0.1, label: 'SGD', color: '#0072b2' },
        { name: 'sgd', lr: 0.1, momentum: 0.9, label: 'Momentum', color: '#e69f00' },
        { name: 'adagrad', lr: 0.1, label: 'AdaGrad', color: '#d55e00' },
        { name: 'rmsprop', lr: 0.01, label: 'RMSprop', color: '#009e73' },
        { name: 'adam', lr: 0.01, label: 'Adam', color: '#cc79a7' },
      ],
    },
    tryThis: 'Press Play and watch each decision boundary curl around the arms.',
    question: 'Which of the five has the lowest loss on the held-out test points after 1000 steps?',
    answer: 'RMSprop (0.24), ahead of Adam (0.42).',
  },
  {
    title: 'What to use',
    text: [
      'On Rosenbrock’s curved valley Adam comes within 1e-4 of the minimum first, at step 765, and Momentum next, at step 934.',
      'Plain SGD and RMSprop, at these learning rates, have not arrived after 2000 steps.',
      'A sound default: Adam (AdamW if you want weight decay) with its default betas, tuning only lr; SGD with momentum when you can afford to tune a learning-rate schedule.',
    ],
    rule: String.raw`\theta_t = \theta_{t-1} - \text{lr}\,\frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon},\qquad \beta = (0.9,\ 0.999),\ \ \varepsilon = 10^{-8}`,
    spec: DEFAULT_EXPERIMENT,
    tryThis: 'Add an AdamW run in the Runs tab and press Play.',
    question: 'Does the fastest optimizer here also win on the network of chapter 9?',
    answer: 'No: there RMSprop was ahead of Adam. No optimizer wins everywhere, so compare them on your own problem.',
  },
];
