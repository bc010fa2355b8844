"""Fingerprints of every estimator's output on fixed seeds.

Run before and after a refactoring that must not change behaviour: the same
lines must come out. Small settings, a few seconds on a CPU.

    python -m benchmarks.behaviour
"""

import hashlib

import numpy as np
from sklearn.base import clone

from skimbgan import EGANClassifier, ImageEmbedder, PolarityGANClassifier, PolarityGANSampler

from ._synthetic import images, tables, tiny_backbone

#: The paper's eGAN (every extension off), from the public API.
PAPER_PARAMS = EGANClassifier.paper_params()


def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a))
        h.update(str(a.dtype).encode() + str(a.shape).encode() + a.tobytes())
    return h.hexdigest()[:16]


def fingerprints():
    X, y = tables()
    out = {}
    sampler = PolarityGANSampler(
        n_steps=40,
        pretrain_steps=10,
        batch_size=32,
        hidden_dims=(16,),
        noise_dim=4,
        device="cpu",
        random_state=0,
    )
    out["PolarityGANSampler.fit_resample"] = digest(*sampler.fit_resample(X, y))
    egan = EGANClassifier(
        **PAPER_PARAMS,
        n_steps=60,
        hidden_dims=(16,),
        latent_dim=8,
        batch_size=32,
        eval_every=10,
        device="cpu",
        random_state=0,
    ).fit(X, y)
    out["EGANClassifier(features)"] = digest(egan.score_samples(X), egan.predict(X))
    extended = EGANClassifier(
        n_steps=60,
        hidden_dims=(16,),
        latent_dim=8,
        batch_size=32,
        eval_every=10,
        device="cpu",
        random_state=0,
    ).fit(X, y)
    out["EGANClassifier(features, defaults)"] = digest(
        extended.score_samples(X), extended.predict(X)
    )
    Xi, yi = images()
    binary = yi > 0
    egan_img = EGANClassifier(
        **PAPER_PARAMS,
        input_type="images",
        input_size=32,
        n_steps=6,
        batch_size=8,
        latent_dim=8,
        eval_every=2,
        validation_fraction=None,
        device="cpu",
        random_state=0,
        generator_backbone=tiny_backbone(),
        discriminator_backbone=tiny_backbone(),
    ).fit(Xi, binary)
    out["EGANClassifier(images)"] = digest(egan_img.score_samples(Xi), egan_img.predict(Xi))
    # two members: each builds and trains its own backbones
    pair = clone(egan_img).set_params(n_estimators=2).fit(Xi, binary)
    out["EGANClassifier(images, 2 members)"] = digest(pair.score_samples(Xi), pair.predict(Xi))
    # reconstructions in the discriminator's prefix-feature space
    prefix = clone(egan_img).set_params(reconstruction="prefix").fit(Xi, binary)
    out["EGANClassifier(images, prefix)"] = digest(prefix.score_samples(Xi), prefix.predict(Xi))
    # the earlier defaults' training, so the fingerprints stay comparable,
    # then the whole backbone frozen, with a probe, with and without
    # augmentation
    trained = dict(trainable_stages="all", balanced_sampling=False, probe_epochs=0)
    frozen = dict(trainable_stages=0, probe_epochs=3)
    polarity_classifiers = {
        "use_gan=True": dict(trained, use_gan=True),
        "use_gan=False": dict(trained, use_gan=False),
        "frozen, augment=True": dict(frozen, augment=True),
        "frozen, augment=False": dict(frozen, augment=False),
    }
    for name, params in polarity_classifiers.items():
        clf = PolarityGANClassifier(
            backbone=tiny_backbone(),
            input_size=16,
            n_epochs=2,
            batch_size=8,
            device="cpu",
            random_state=0,
            **params,
        ).fit(Xi, yi)
        out[f"PolarityGANClassifier({name})"] = digest(clf.predict_proba(Xi), clf.predict(Xi))
    embedder = ImageEmbedder(
        backbone=tiny_backbone(), weights=None, input_size=16, device="cpu", random_state=0
    )
    out["ImageEmbedder"] = digest(embedder.fit_transform(Xi))
    return out


if __name__ == "__main__":
    for name, value in fingerprints().items():
        print(f"{name:40s} {value}")
