//! A user's own data: classification and regression datasets built from plain vectors,
//! every way they can be refused, and the batches and metrics drawn from them, checked
//! against references computed here by hand.

use backprop::data::{Dataset, Labels, Metric, Splits, TargetSet, Values};
use backprop::{Error, Matrix};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Ten samples of 3 values each: input `i` is `[i, 10 + i, 100 + i]`, so every row
/// tells which sample it is; label `i mod 4`.
fn ten() -> Dataset<3, Labels<4>> {
    let inputs = (0..10).map(|i| vec![i as f32, 10.0 + i as f32, 100.0 + i as f32]);
    Dataset::classification(inputs.collect(), (0..10).map(|i| i % 4).collect()).unwrap()
}

/// The sample a row of [`ten`] came from.
fn which(row: &[f32]) -> usize {
    row[0] as usize
}

/// Seven samples, input `[i, −i]`, target `[2i, i², 1]`: a regression with `O = 3`.
fn seven() -> Dataset<2, Values<3>> {
    let inputs = (0..7).map(|i| vec![i as f32, -(i as f32)]).collect();
    let targets = (0..7)
        .map(|i| vec![2.0 * i as f32, (i * i) as f32, 1.0])
        .collect();
    Dataset::regression(inputs, targets).unwrap()
}

#[test]
fn classification_round_trips_nested_and_flat() {
    let d = ten();
    assert_eq!(d.len(), 10);
    assert!(!d.is_empty());
    assert_eq!(d.input(7), [7.0, 17.0, 107.0]);
    assert_eq!(d.label(7), 3);
    assert_eq!(d.labels(), [0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
    assert_eq!(d.targets().labels(), d.labels());
    assert_eq!(d.inputs().len(), 30);
    assert_eq!(d.inputs()[3..6], [1.0, 11.0, 101.0]);

    let flat = Dataset::<3, Labels<4>>::classification_from_flat(
        d.inputs().to_vec(),
        d.labels().iter().map(|&l| l as usize).collect(),
    )
    .unwrap();
    assert!(flat == d);
    let via_new = Dataset::<3, _>::new(d.inputs().to_vec(), d.targets().clone()).unwrap();
    assert!(via_new == d);

    let (x, t) = d.sample(5);
    assert_eq!((x.row(0), t), (d.input(5), [1]));
    let small = d.take(3);
    assert_eq!((small.len(), small.labels()), (3, &[0, 1, 2][..]));
    assert_eq!(d.take(99).len(), 10);
    assert_eq!(
        format!("{small:?}"),
        "Dataset<3, f32> { len: 3, targets: Labels<4> { len: 3 } }"
    );
}

#[test]
fn regression_round_trips_nested_and_flat() {
    let d = seven();
    assert_eq!(d.len(), 7);
    assert_eq!(d.input(3), [3.0, -3.0]);
    assert_eq!(d.target(3), [6.0, 9.0, 1.0]);
    assert_eq!(d.targets().target(6), [12.0, 36.0, 1.0]);
    assert_eq!(d.targets().values().len(), 21);

    let flat = Dataset::<2, Values<3>>::regression_from_flat(
        d.inputs().to_vec(),
        d.targets().values().to_vec(),
    )
    .unwrap();
    assert!(flat == d);

    let (x, y) = d.sample(4);
    assert_eq!(
        (x.row(0), y.row(0)),
        (&[4.0, -4.0][..], &[8.0, 16.0, 1.0][..])
    );
    assert_eq!(
        format!("{:?}", d.take(2)),
        "Dataset<2, f32> { len: 2, targets: Values<3, f32> { len: 2 } }"
    );

    // f64 end to end.
    let wide =
        Dataset::<1, Values<1, f64>, f64>::regression(vec![vec![0.1]], vec![vec![0.2]]).unwrap();
    assert_eq!(wide.target(0), [0.2_f64]);
}

#[test]
fn a_row_of_the_wrong_length_is_named() {
    let err = Dataset::<3, Labels<2>>::classification(
        vec![vec![0.0; 3], vec![0.0; 3], vec![0.0; 4]],
        vec![0, 1, 0],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::RowLength {
            part: "input",
            row: 2,
            expected: 3,
            actual: 4
        }
    );
    assert_eq!(err.to_string(), "input row 2 has length 4, expected 3");

    // Flat: 7 values in rows of 3 leave row 2 with 1 value.
    let err =
        Dataset::<3, Labels<2>>::classification_from_flat(vec![0.0; 7], vec![0, 1]).unwrap_err();
    assert_eq!(
        err,
        Error::RowLength {
            part: "input",
            row: 2,
            expected: 3,
            actual: 1
        }
    );

    let err = Dataset::<1, Values<2>>::regression(
        vec![vec![0.0], vec![1.0]],
        vec![vec![0.0, 0.0], vec![1.0]],
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "target row 1 has length 1, expected 2");

    let err =
        Dataset::<1, Values<2>>::regression_from_flat(vec![0.0, 1.0], vec![0.0; 5]).unwrap_err();
    assert_eq!(
        err,
        Error::RowLength {
            part: "target",
            row: 2,
            expected: 2,
            actual: 1
        }
    );
}

#[test]
fn inputs_and_targets_must_agree_in_number() {
    let three_inputs = || vec![vec![0.0_f32, 1.0]; 3];
    let err = Dataset::<2, Labels<2>>::classification(three_inputs(), vec![0, 1]).unwrap_err();
    assert_eq!(
        err,
        Error::CountMismatch {
            inputs: 3,
            targets: 2
        }
    );
    assert_eq!(
        err.to_string(),
        "3 inputs but 2 targets: a dataset needs one target per input"
    );
    let err =
        Dataset::<2, Labels<2>>::classification_from_flat(vec![0.0; 4], vec![0, 1, 1]).unwrap_err();
    assert_eq!(
        err,
        Error::CountMismatch {
            inputs: 2,
            targets: 3
        }
    );
    let err = Dataset::<2, Values<1>>::regression(three_inputs(), vec![vec![1.0]; 4]).unwrap_err();
    assert_eq!(
        err,
        Error::CountMismatch {
            inputs: 3,
            targets: 4
        }
    );
    let labels = Labels::<2>::new(vec![0]).unwrap();
    let err = Dataset::<2, _, f32>::new(vec![0.0; 4], labels).unwrap_err();
    assert_eq!(
        err,
        Error::CountMismatch {
            inputs: 2,
            targets: 1
        }
    );
}

#[test]
fn a_label_not_below_c_is_named() {
    let err =
        Dataset::<1, Labels<3>>::classification(vec![vec![0.0]; 4], vec![0, 2, 3, 7]).unwrap_err();
    assert_eq!(
        err,
        Error::Label {
            row: 2,
            label: 3,
            classes: 3
        }
    );
    assert_eq!(
        err.to_string(),
        "label 3 in row 2 is out of range: there are 3 classes (0..3)"
    );
    let err =
        Dataset::<1, Labels<3>>::classification_from_flat(vec![0.0], vec![usize::MAX]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Label {
                row: 0,
                label: usize::MAX,
                classes: 3
            }
        ),
        "{err:?}"
    );
}

/// The `NotFiniteData` error of `result`, as (part, row, element, value).
fn not_finite<D: std::fmt::Debug>(result: Result<D, Error>) -> (&'static str, usize, usize, f64) {
    match result.unwrap_err() {
        Error::NotFiniteData {
            part,
            row,
            element,
            value,
        } => (part, row, element, value),
        other => panic!("expected NotFiniteData, got {other:?}"),
    }
}

#[test]
fn nan_and_infinity_in_inputs_are_named() {
    let mut inputs = vec![vec![0.0_f32, 1.0, 2.0]; 4];
    inputs[2][1] = f32::NAN;
    inputs[3][0] = f32::INFINITY; // later: the first one found is reported
    let (part, row, element, value) =
        not_finite(Dataset::<3, Labels<2>>::classification(inputs, vec![0; 4]));
    assert_eq!((part, row, element), ("input", 2, 1));
    assert!(value.is_nan());

    let mut flat = vec![0.0_f64; 6];
    flat[5] = f64::NEG_INFINITY;
    let result = Dataset::<3, Labels<2>, f64>::classification_from_flat(flat, vec![0, 1]);
    assert_eq!(not_finite(result), ("input", 1, 2, f64::NEG_INFINITY));

    let result = Dataset::<1, Values<1>>::regression(
        vec![vec![1.0], vec![f32::INFINITY]],
        vec![vec![0.0], vec![0.0]],
    );
    let err = result.unwrap_err();
    assert_eq!(
        err.to_string(),
        "input row 1, element 0 is inf, not a finite number"
    );
}

#[test]
fn nan_and_infinity_in_regression_targets_are_named() {
    let inputs = || vec![vec![0.0_f32]; 3];
    let mut targets = vec![vec![0.0_f32, 1.0]; 3];
    targets[1][1] = f32::NAN;
    let (part, row, element, value) = not_finite(Dataset::<1, Values<2>>::regression(
        inputs(),
        targets.clone(),
    ));
    assert_eq!((part, row, element), ("target", 1, 1));
    assert!(value.is_nan());

    targets[1][1] = 0.5;
    targets[2][0] = f32::INFINITY;
    let result = Dataset::<1, Values<2>>::regression(inputs(), targets);
    assert_eq!(not_finite(result), ("target", 2, 0, f64::INFINITY));

    let result = Dataset::<1, Values<2>>::regression_from_flat(
        vec![0.0; 2],
        vec![0.0, 1.0, f32::NEG_INFINITY, 2.0],
    );
    assert_eq!(not_finite(result), ("target", 1, 0, f64::NEG_INFINITY));
}

#[test]
fn an_empty_dataset_is_refused() {
    let empty = Error::EmptyDataset;
    assert_eq!(
        Dataset::<2, Labels<2>>::classification(vec![], vec![]).unwrap_err(),
        empty
    );
    assert_eq!(
        Dataset::<2, Labels<2>>::classification_from_flat(vec![], vec![]).unwrap_err(),
        empty
    );
    assert_eq!(
        Dataset::<2, Values<1>>::regression(vec![], vec![]).unwrap_err(),
        empty
    );
    assert_eq!(
        Dataset::<2, Values<1>>::regression_from_flat(vec![], vec![]).unwrap_err(),
        empty
    );
    assert_eq!(
        empty.to_string(),
        "a dataset needs at least one sample, got none"
    );
}

#[test]
fn the_same_seed_draws_the_batch_a_hand_drawn_reference_gives() {
    let d = ten();
    let (x, t) = d.random_batch::<64>(&mut StdRng::seed_from_u64(42));

    // The reference: one `random_range(0..len)` per row, in row order.
    let mut rng = StdRng::seed_from_u64(42);
    let drawn: Vec<usize> = (0..64).map(|_| rng.random_range(0..10)).collect();
    for (k, &i) in drawn.iter().enumerate() {
        assert_eq!(x.row(k), d.input(i), "row {k}");
        assert_eq!(t[k], d.label(i), "row {k}");
    }
    // 64 draws from 10 repeat some samples: drawn with replacement.
    assert!((1..64).any(|k| drawn[..k].contains(&drawn[k])));

    // Into the caller's buffers, three batches in a row: the same draws.
    let (mut bx, mut bt) = (Matrix::<64, 3>::zeros(), [0; 64]);
    let mut same = StdRng::seed_from_u64(42);
    let mut reference = StdRng::seed_from_u64(42);
    for _ in 0..3 {
        d.random_batch_into(&mut same, &mut bx, &mut bt);
        for (row, &label) in bx.rows().zip(&bt) {
            let i = reference.random_range(0..10);
            assert_eq!((which(row), label), (i, i % 4));
        }
    }

    // Regression targets come along with the same draws.
    let r = seven();
    let (x, y) = r.random_batch::<20>(&mut StdRng::seed_from_u64(9));
    let mut rng = StdRng::seed_from_u64(9);
    for k in 0..20 {
        let i = rng.random_range(0..7);
        assert_eq!((x.row(k), y.row(k)), (r.input(i), r.target(i)));
    }
}

#[test]
fn batches_and_remainder_cover_every_sample_once() {
    fn cover<const N: usize>(d: &Dataset<3, Labels<4>>) {
        let mut seen = [0; 10];
        for (x, t) in d.batches::<N>() {
            for (row, label) in x.rows().zip(t) {
                seen[which(row)] += 1;
                assert_eq!(label, which(row) % 4);
            }
        }
        for i in d.remainder::<N>() {
            let (x, t) = d.sample(i);
            seen[which(x.row(0))] += 1;
            assert_eq!(t, [i % 4]);
        }
        assert_eq!(seen, [1; 10], "N = {N}");
        assert_eq!(d.batches::<N>().len(), 10 / N);
        assert_eq!(d.batches::<N>().remainder(), d.remainder::<N>());
    }
    let d = ten();
    cover::<1>(&d);
    cover::<3>(&d);
    cover::<4>(&d);
    cover::<5>(&d);
    cover::<10>(&d);
    cover::<11>(&d);
    assert!(d.batch::<11>(0).is_none());
    assert!(d.batch::<3>(8).is_none());
    assert!(d.batch::<1>(usize::MAX).is_none());
}

#[test]
fn values_batches_carry_target_matrices() {
    let d = seven();
    let (x, y) = d.batch::<3>(2).unwrap();
    assert_eq!(x, Matrix::new([[2.0, -2.0], [3.0, -3.0], [4.0, -4.0]]));
    assert_eq!(
        y,
        Matrix::new([[4.0, 4.0, 1.0], [6.0, 9.0, 1.0], [8.0, 16.0, 1.0]])
    );
    let batches: Vec<_> = d.batches::<3>().collect();
    assert_eq!(batches.len(), 2);
    assert_eq!(batches[1].1.row(2), [10.0, 25.0, 1.0]);
    assert_eq!(d.remainder::<3>(), 6..7);
    let (_, y) = d.sample(6);
    assert_eq!(y.row(0), [12.0, 36.0, 1.0]);
}

#[test]
fn labels_metric_counts_argmax_hits_first_of_equals() {
    let labels = Labels::<3>::new(vec![2, 0, 1, 2, 0]).unwrap();
    assert_eq!(<Labels<3> as TargetSet<f32>>::METRIC, "accuracy");
    #[rustfmt::skip]
    let scores = Matrix::new([
        [0.1_f32, 0.2, 0.7],  // argmax 2
        [0.5, 0.5, 0.0],      // a tie between 0 and 1: the first, 0
        [0.3, 0.3, 0.3],      // all equal: 0
        [0.0, f32::NAN, 1.0], // NaN never beats a number: 2
    ]);
    // Samples 0..4 (labels 2, 0, 1, 2) against argmax 2, 0, 0, 2: three hits.
    assert_eq!(labels.metric_sum(0, &scores, 4), 3.0);
    // Samples 1..4 (labels 0, 1, 2) against the first three rows (2, 0, 0): none.
    assert_eq!(labels.metric_sum(1, &scores, 3), 0.0);
    // Samples 3..5 (labels 2, 0) against the first two rows (2, 0): both.
    assert_eq!(labels.metric_sum(3, &scores, 2), 2.0);
    // Only `rows` rows count, however long the scores.
    assert_eq!(labels.metric_sum(0, &scores, 1), 1.0);
    assert_eq!(labels.metric_sum(0, &scores, 0), 0.0);
    // Divided by the number of samples, it is the accuracy.
    assert_eq!(labels.metric_sum(0, &scores, 4) / 4.0, 0.75);
}

#[test]
fn values_metric_is_half_the_squared_distance() {
    let targets = Values::<2>::new(vec![0.0, 0.0, 1.0, 1.0, -2.0, 0.5]).unwrap();
    assert_eq!(<Values<2> as TargetSet<f32>>::METRIC, "mse");
    let scores = Matrix::new([[1.0_f32, 2.0], [0.5, -1.0]]);
    // ½((1−0)² + (2−0)²) = 2.5;  ½((0.5−1)² + (−1−1)²) = ½(0.25 + 4) = 2.125.
    assert_eq!(targets.metric_sum(0, &scores, 2), 4.625);
    // Against targets 1 and 2: ½((1−1)² + (2−1)²) = 0.5;  ½((0.5+2)² + (−1−0.5)²) = ½(6.25 + 2.25) = 4.25.
    assert_eq!(targets.metric_sum(1, &scores, 2), 4.75);
    assert_eq!(targets.metric_sum(2, &scores, 1), 0.5 * (9.0 + 2.25));
}

/// Scores of another width than the targets' no longer compile (`Labels<3>` is only
/// `Metric<3, T>`; checks/tests/ui/trainer_class_count_mismatch.rs); what is left to
/// check at run time is a batch of scores with fewer rows than asked for.
#[test]
#[should_panic(expected = "3 rows asked of a batch of 2")]
fn a_metric_on_fewer_score_rows_than_asked_panics_with_a_message() {
    let labels = Labels::<3>::new(vec![0, 1, 2]).unwrap();
    let _ = labels.metric_sum(0, &Matrix::<2, 3>::zeros(), 3);
}

#[test]
#[should_panic(expected = "cannot draw from an empty dataset")]
fn drawing_from_an_empty_dataset_panics_with_a_message() {
    let empty = ten().take(0);
    assert!(empty.is_empty());
    let _ = empty.random_batch::<1>(&mut StdRng::seed_from_u64(0));
}

/// A target set of the user's own: a weight per sample, batched as `[f32; N]`, whose
/// metric is the sum of the weights of the rows whose first score is positive.
#[derive(Clone)]
struct Weights(Vec<f32>);

impl TargetSet<f32> for Weights {
    type Batch<const N: usize> = [f32; N];
    const METRIC: &'static str = "weighted positives";
    fn len(&self) -> usize {
        self.0.len()
    }
    fn zero_batch<const N: usize>() -> [f32; N] {
        [0.0; N]
    }
    fn copy_into<const N: usize>(&self, sample: usize, batch: &mut [f32; N], row: usize) {
        batch[row] = self.0[sample];
    }
    fn take(&self, n: usize) -> Self {
        Weights(self.0[..n.min(self.0.len())].to_vec())
    }
}

/// Measured against scores of any width.
impl<const W: usize> Metric<W, f32> for Weights {
    fn metric_sum<const N: usize>(&self, start: usize, scores: &Matrix<N, W>, rows: usize) -> f64 {
        (0..rows)
            .filter(|&r| scores.row(r)[0] > 0.0)
            .map(|r| f64::from(self.0[start + r]))
            .sum()
    }
}

#[test]
fn a_target_set_of_ones_own_plugs_in() {
    let d = Dataset::<1, Weights>::new(vec![1.0, 2.0, 3.0], Weights(vec![0.5, 0.25, 2.0])).unwrap();
    let (x, w) = d.batch::<2>(1).unwrap();
    assert_eq!((x.as_slice(), w), (&[2.0, 3.0][..], [0.25, 2.0]));
    let scores = Matrix::new([[1.0], [-1.0], [1.0]]);
    assert_eq!(d.targets().metric_sum(0, &scores, 3), 2.5);
    let data = Splits {
        train: d.take(2),
        test: d,
    };
    assert_eq!((data.train.len(), data.test.len()), (2, 3));
}
