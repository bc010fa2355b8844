"""eGAN members trained together as one stacked network: stacking computes
what the members compute, members never mix, and each keeps its own
checkpoint and early stopping."""

import math

import numpy as np
import pytest
import torch
from sklearn.metrics import average_precision_score

from skimbgan._core.context import FitContext
from skimbgan._core.egan import EGANConfig, EGANData, MLPDiscriminator, MLPGenerator, train_egan
from skimbgan._core.egan.losses import discriminator_loss, generator_loss
from skimbgan._core.egan.stack import SingleStack, StackedMLPDiscriminator, StackedMLPGenerator
from skimbgan._core.random import seeded


def members(n, seed=0, n_features=6):
    out = []
    for k in range(n):
        with seeded(seed + k, "cpu"):
            out.append((MLPGenerator(n_features, (16, 8), 4), MLPDiscriminator(n_features, (16,))))
    return [g for g, _ in out], [d for _, d in out]


def data(seed=0, n_features=6, validation=True):
    g = torch.Generator().manual_seed(seed)
    majority = torch.randn(120, n_features, generator=g)
    minority = torch.randn(12, n_features, generator=g) + 1.5
    val_majority = torch.randn(40, n_features, generator=g)
    val = torch.cat([val_majority, torch.randn(8, n_features, generator=g) + 1.5])
    is_minority = np.r_[np.zeros(40, bool), np.ones(8, bool)]
    return EGANData(majority, minority, (val, is_minority) if validation else None, minority)


def score(logits, is_minority):
    return average_precision_score(is_minority, -logits.double().numpy())


def test_a_stack_computes_what_its_members_compute():
    generators, discriminators = members(3)
    stacked_g, stacked_d = StackedMLPGenerator(generators), StackedMLPDiscriminator(discriminators)
    stacked_d.eval()
    x = torch.randn(3, 10, 6)
    with torch.no_grad():
        out_g, out_d = stacked_g(x), stacked_d.from_prefix(x)
        for k in range(3):
            torch.testing.assert_close(out_g[k], generators[k](x[k]), rtol=1e-5, atol=1e-6)
            torch.testing.assert_close(out_d[k], discriminators[k].eval().from_prefix(x[k]))
    # a stack of one runs the member's own layers: exactly its output
    single_g = StackedMLPGenerator(generators[:1])
    with torch.no_grad():
        assert torch.equal(single_g(x[:1])[0], generators[0](x[0]))


def test_each_member_gets_its_own_gradient():
    generators, discriminators = members(2)
    stacked_d = StackedMLPDiscriminator(discriminators).eval()
    real, fake = torch.randn(2, 9, 6), torch.randn(2, 5, 6)
    losses = discriminator_loss(stacked_d.from_prefix(real), stacked_d.from_prefix(fake))
    assert losses.shape == (2,)
    first = stacked_d.net[0].weight
    (grad,) = torch.autograd.grad(losses.sum(), [first])
    for k, member in enumerate(discriminators):
        member.eval()
        own = discriminator_loss(member.from_prefix(real[k]), member.from_prefix(fake[k]))
        (own_grad,) = torch.autograd.grad(own, [member.net[0].weight])
        torch.testing.assert_close(grad[k], own_grad, rtol=1e-5, atol=1e-7)


def test_members_never_mix():
    """Member 0's training is the same whatever member 1 starts from."""
    config = EGANConfig(n_steps=60, batch_size=16, eval_every=10, n_iter_no_change=None)
    runs = []
    for other_seed in (10, 20):
        generators, discriminators = members(1, seed=0)
        g1, d1 = members(1, seed=other_seed)
        context = FitContext(config, torch.device("cpu"), 3)
        trained = train_egan(generators + g1, discriminators + d1, data(), context, score_fn=score)
        runs.append(trained)
    first, second = (run[0] for run in runs)
    for a, b in zip(
        first.discriminator.parameters(), second.discriminator.parameters(), strict=True
    ):
        assert torch.equal(a, b)
    assert first.history == second.history
    # the other members did differ
    a, b = (run[1].discriminator.net[0].weight for run in runs)
    assert not torch.allclose(a, b)


def test_members_stop_and_keep_their_own_checkpoints():
    config = EGANConfig(
        n_steps=400, batch_size=16, eval_every=10, n_iter_no_change=3,
        generator_lr=3e-3, discriminator_lr=3e-3,
    )  # fmt: skip
    generators, discriminators = members(4)
    trained = train_egan(
        generators,
        discriminators,
        data(),
        FitContext(config, torch.device("cpu"), 0),
        score_fn=score,
    )
    assert [t.discriminator for t in trained] == discriminators  # written back in place
    for t in trained:
        assert t.stop_reason in {"n_steps", "n_iter_no_change"}
        assert t.best_step <= t.n_steps and t.best_step % 10 == 0
        assert t.history["step"][-1] == t.n_steps
        scores = [s for s in t.history["validation_score"] if not math.isnan(s)]
        assert math.isclose(t.best_score, max(scores))
        if t.stop_reason == "n_iter_no_change":
            assert t.n_steps == t.best_step + 3 * 10
        # the kept networks are those of the best step: they score best_score
        t.discriminator.eval()
        with torch.no_grad():
            logits = t.discriminator.from_prefix(data().validation[0])
        assert score(logits, data().validation[1]) == pytest.approx(t.best_score, abs=1e-6)
    assert len({t.n_steps for t in trained}) > 1  # they did stop at their own times


def test_without_validation_every_member_runs_every_step():
    config = EGANConfig(n_steps=25, batch_size=16, log_every=5)
    context = FitContext(config, torch.device("cpu"), 0)
    trained = train_egan(*members(2), data(validation=False), context)
    for t in trained:
        assert t.n_steps == 25 and t.best_step == 25 and math.isnan(t.best_score)
        assert t.history["step"] == [5, 10, 15, 20, 25]


def test_a_diverging_member_stops_alone():
    config = EGANConfig(n_steps=40, batch_size=16, log_every=5, n_iter_no_change=None)
    generators, discriminators = members(2)
    with torch.no_grad():
        discriminators[1].net[0].weight.fill_(float("nan"))
    trained = train_egan(
        generators,
        discriminators,
        data(),
        FitContext(config, torch.device("cpu"), 0),
        score_fn=score,
    )
    assert trained[1].stop_reason == "diverged" and trained[1].n_steps == 5
    assert trained[0].stop_reason == "n_steps" and trained[0].n_steps == 40
    assert all(math.isfinite(v) for v in trained[0].history["discriminator_loss"])


def test_other_networks_train_one_at_a_time():
    generators, discriminators = members(2)
    with pytest.raises(ValueError, match="one at a time"):
        from skimbgan._core.egan.stack import stack

        stack([SingleStack(generators[0]), generators[1]], discriminators)


def test_losses_are_per_member_and_match_the_single_loss():
    logits = torch.randn(3, 7)
    per_member = generator_loss(logits)
    assert per_member.shape == (3,)
    for k in range(3):
        torch.testing.assert_close(per_member[k], generator_loss(logits[k]))


def test_dropping_stopped_members_leaves_the_others_as_they_were():
    """Members that stop leave the stack; those still training compute what
    they computed beside them (without dropout, whose masks are drawn for
    the members the stack holds, every draw is the same)."""
    runs = []
    for drop in (True, False):
        config = EGANConfig(
            n_steps=300, batch_size=16, eval_every=10, n_iter_no_change=3,
            generator_lr=3e-3, discriminator_lr=3e-3, drop_stopped=drop,
        )  # fmt: skip
        generators, discriminators = members(4)
        for d in discriminators:
            d.net[-2].p = 0.0  # no dropout
        context = FitContext(config, torch.device("cpu"), 0)
        runs.append(train_egan(generators, discriminators, data(), context, score_fn=score))
    dropped, kept = runs
    assert len({t.n_steps for t in kept}) > 1  # members stopped at different steps
    for a, b in zip(dropped, kept, strict=True):
        assert (a.n_steps, a.best_step, a.stop_reason) == (b.n_steps, b.best_step, b.stop_reason)
        assert a.best_score == pytest.approx(b.best_score, abs=1e-6)
        for pa, pb in zip(a.discriminator.parameters(), b.discriminator.parameters(), strict=True):
            torch.testing.assert_close(pa, pb, rtol=1e-4, atol=1e-5)
        for pa, pb in zip(a.generator.parameters(), b.generator.parameters(), strict=True):
            torch.testing.assert_close(pa, pb, rtol=1e-4, atol=1e-5)
