"""
Training curves of PolarityGANSampler and EGANClassifier
========================================================

Both methods train neural networks against each other and log their losses in
``history_``, a dict of equally long lists with a ``step`` entry. This example
fits each on the same imbalanced data set (KEEL's ``yeast4``: 1,484 proteins,
8 features, 51 in the rare class) and plots what they logged: what each curve
measures, and what to look for in it.
"""

import matplotlib.pyplot as plt
import numpy as np

from skimbgan import EGANClassifier, PolarityGANSampler
from skimbgan.datasets import load_keel

# Both methods standardise the features for their networks themselves.
X, y = load_keel("yeast4", return_X_y=True)
print(f"{len(y)} samples, {y.sum()} in the rare class")

# %%
# PolarityGANSampler
# ------------------
# Three networks train together: a Wasserstein critic (is this sample like
# the real ones of its class?), a classifier over the classes, and the
# generator, whose convex combinations should fool the critic and be hard for
# the classifier. The losses are logged every 10 steps.
sampler = PolarityGANSampler(n_steps=400, random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
history = {key: np.asarray(values) for key, values in sampler.history_.items()}
print("logged:", ", ".join(history))
print(f"{sampler.n_steps_} steps, stopped because of: {sampler.stop_reason_}")

fig, axes = plt.subplots(1, 3, figsize=(15, 4), sharex=True)
step = history["step"]
axes[0].plot(step, history["critic_loss"], label="critic loss (with gradient penalty)")
axes[0].plot(step, history["wasserstein"], label="Wasserstein estimate")
axes[0].axhline(0, c="grey", lw=0.8)
axes[0].set_title("critic")
axes[1].plot(step, history["generator_loss"], c="tab:green", label="generator loss")
axes[1].plot(
    step,
    history["generator_boundary"],
    c="tab:olive",
    label="log-probability of own class\n(classifier, on generated samples)",
)
axes[1].set_title("generator")
axes[2].plot(step, history["classifier_loss"], c="tab:red", label="cross-entropy")
axes[2].set_title("classifier (real and generated samples)")
for ax in axes:
    ax.set_xlabel("step")
    ax.legend(fontsize=8)
fig.tight_layout()

# %%
# How to read it. Left: the critic's loss starts high (the gradient penalty
# dominates while the critic is random) and is near zero within a few steps.
# The Wasserstein estimate, the critic's mean score on real samples minus its
# mean score on generated ones, stays close to zero: the critic barely tells
# the generated samples from real ones, which is what convex combinations of
# near neighbours should give. A large or growing estimate would mean the
# generator has drifted away from the data.
#
# Middle: the generator's loss adds minus the critic's score and the
# classifier's log-probability of the sample's own class; here it follows the
# critic's part. The own-class log-probability rises towards 0: the classifier
# becomes sure of the class of most generated samples, so on these data the
# generator does not keep them hard to classify for long.
#
# Right: the classifier's cross-entropy on real and generated samples falls
# steadily; it is the network that learns fastest.
#
# ``generator_change`` is logged only at the convergence checks (every 50
# steps; NaN in between): how far the generator's samples moved since the
# previous check, in units of the typical nearest-neighbour distance. It falls
# from about 1 to a few hundredths, so ``tol=0.1`` would have stopped training
# early; it is off by default.
checked = ~np.isnan(history["generator_change"])
print("generator change at the checks:")
print(np.column_stack([step[checked], history["generator_change"][checked]]).round(3))

# %%
# EGANClassifier
# --------------
# A discriminator learns the majority as real and the generator's
# reconstructions of the minority as fake; the generator learns to make those
# reconstructions pass as majority. A fifth of each class is held out, and
# every ``eval_every`` steps the discriminator's average precision for the
# minority on that held-out part is logged as ``validation_score``; the best
# checkpoint is kept and training stops after ``n_iter_no_change`` checks
# without improvement. This is the paper's eGAN; the defaults also show the
# discriminator the real minority and average five eGANs at a larger learning
# rate, and their ``history_`` is the first eGAN's.
clf = EGANClassifier(
    minority_weight=0.0, contamination=None, learning_rate=1e-4, n_estimators=1, random_state=0
).fit(X, y)
egan = {key: np.asarray(values) for key, values in clf.history_.items()}
print("logged:", ", ".join(egan))
print(
    f"{clf.n_steps_} steps run, checkpoint kept at step {clf.best_step_} "
    f"(validation average precision {clf.validation_score_:.3f})"
)

fig, axes = plt.subplots(1, 3, figsize=(15, 4), sharex=True)
step = egan["step"]
logged = ~np.isnan(egan["discriminator_loss"])  # rows with only a validation score have NaN
axes[0].plot(step[logged], egan["discriminator_loss"][logged], label="discriminator loss")
axes[0].plot(step[logged], egan["generator_loss"][logged], label="generator loss")
axes[0].set_title("losses (binary cross-entropy)")
axes[1].plot(step[logged], egan["real_logit"][logged], label="majority batch")
axes[1].plot(step[logged], egan["fake_logit"][logged], label="generator's reconstructions")
axes[1].axhline(0, c="grey", lw=0.8)
axes[1].set_title("mean discriminator logit")
scored = ~np.isnan(egan["validation_score"])
axes[2].plot(step[scored], egan["validation_score"][scored], "o-", c="tab:purple")
axes[2].set_title("validation average precision (minority)")
for ax in axes:
    ax.axvline(clf.best_step_, c="k", ls=":", lw=1)
    ax.set_xlabel("step")
axes[0].legend(fontsize=8)
axes[1].legend(fontsize=8)
fig.tight_layout()

# %%
# How to read it. The dotted line is the kept checkpoint. The two losses start
# at ``2 log 2`` and ``log 2``, the values of a discriminator that cannot tell
# its two inputs apart. They do not settle into a steady decline, as a
# supervised loss would: for a while the generator's reconstructions get
# higher logits than the majority itself (generator loss down, discriminator
# loss up), then the discriminator catches up, and in the second half of the
# run both curves level off with neither network winning. The logits are
# taken in training mode (with dropout), on the batches of that step.
#
# The validation curve is what chooses the checkpoint. It is computed on about
# ten held-out rare samples, so it is noisy, and it stays low: random scores
# would give an average precision of about 0.03 here (the rare class's share)
# and the best checkpoint stays below 0.2. eGAN ranks these data poorly, and
# a different ``random_state`` may well keep a different step.
plt.show()
