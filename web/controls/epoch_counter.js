// The epoch counter beside the step counter, shown only when the steps use mini-batches. The core
// draws step k's batch from epoch floor(k / batches_per_epoch) (cpp/problems/mlp.h), so after
// `steps` steps the runs have seen steps / batches_per_epoch epochs of the training set.

// el: the <output>; data: Session.dataset() ({batch_size, batches_per_epoch, train}) or null.
export function showEpochs(el, steps, data) {
  const batched = Boolean(data?.batch_size) && data.batches_per_epoch > 1;
  el.hidden = !batched;
  if (!batched) return;
  const text = `Epoch ${epochText(steps, data.batches_per_epoch)}`;
  if (el.textContent !== text) el.textContent = text;
  el.title = `${data.batches_per_epoch} mini-batches of ${data.batch_size} make one epoch of the ${data.train.x.length} training points`;
}

// Whole epochs exactly, a partial one to two decimals ("Epoch 2.25").
export function epochText(steps, perEpoch) {
  return String(Number((steps / perEpoch).toFixed(2)));
}
