//! How the trainer's loop draws its batches: with replacement (the book's), or by
//! shuffled epochs.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// How [`Trainer::train`](super::Trainer::train) draws its batches.
///
/// ```
/// use backprop::train::Draw;
/// assert_eq!(Draw::default(), Draw::WithReplacement);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Draw {
    /// Each sample of each batch drawn uniformly from the whole training set (the book's
    /// `np.random.choice(train_size, batch_size)`): some samples twice in an epoch,
    /// about a third of them not at all.
    #[default]
    WithReplacement,
    /// The training set shuffled, then cut into consecutive batches: every sample once
    /// an epoch (a batch that runs past the end of one shuffle continues into the next).
    ShuffledEpochs,
}

/// The order of [`Draw::ShuffledEpochs`]: a shuffle of the training set, read a batch
/// at a time, shuffled again when it runs out.
pub(super) struct Shuffled {
    order: Vec<usize>,
    next: usize,
}

impl Shuffled {
    /// `None` unless `draw` shuffles.
    pub(super) fn new(len: usize, draw: Draw) -> Option<Self> {
        (draw == Draw::ShuffledEpochs).then(|| Self {
            order: (0..len).collect(),
            next: len,
        })
    }

    /// The next `N` sample indices.
    pub(super) fn next_batch<const N: usize>(&mut self, rng: &mut StdRng) -> [usize; N] {
        std::array::from_fn(|_| {
            if self.next == self.order.len() {
                self.order.shuffle(rng);
                self.next = 0;
            }
            self.next += 1;
            self.order[self.next - 1]
        })
    }
}
