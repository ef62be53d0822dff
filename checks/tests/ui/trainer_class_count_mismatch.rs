// Two classes in the data, three scores from the network.
use backprop::data::{Dataset, Labels, Splits};
use backprop::train::{BatchSize, TrainConfig, Trainer};
use backprop::{Affine, Relu, Sgd, SoftmaxWithLoss};

fn main() {
    let set = Dataset::<2, Labels<2>>::classification(vec![vec![0.0, 1.0]], vec![1]).unwrap();
    let data = Splits { train: set.clone(), test: set };
    let net = (Affine::<2, 8>::zeros(), Relu::new(), Affine::<8, 3>::zeros());
    let mut trainer = Trainer::new(net, SoftmaxWithLoss::new(), Sgd::new(0.1), BatchSize::<4>);
    let _ = trainer.train(&data, &TrainConfig::default(), |_| {}, |_| {});
}
