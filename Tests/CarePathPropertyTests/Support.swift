import PropertyBased

/// One of `choices`, shrinking towards the first.
func pick<T: Sendable>(_ choices: [T]) -> Generator<T, Shrink.Integer<Int>> {
    precondition(!choices.isEmpty, "nothing to pick from")
    return Gen.int(in: 0...(choices.count - 1)).map { choices[$0] }
}
