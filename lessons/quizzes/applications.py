"""Lesson 19, Applications, ethics and what comes next: check your understanding."""

from sitebuild.quiz import Choice, Number

accuracy_a, accuracy_b = 0.999, 0.933

QUESTIONS = [
    Number(
        "A model is 99.9% accurate on group A and 93.3% accurate on group B. How many times as "
        "many errors per person does it make on group B?",
        answer=(1 - accuracy_b) / (1 - accuracy_a), tolerance=0.5,
        why="Error rates 6.7% against 0.1%: a gap that an overall accuracy can hide.",
    ),
    Choice(
        "A model has high accuracy on the whole test set. What should you check before deploying it "
        "to people?",
        options=("Nothing more", "Its accuracy and errors for each group it will be used on",
                 "Only its speed", "Only its number of parameters"),
        answer=1,
        why="An average over everyone can hide a group for which the model fails often.",
    ),
    Choice(
        "What does a gradient saliency map show for an image classifier?",
        options=("The filters of the first layer", "How much the class score changes with each "
                 "input pixel, the gradient of the score with respect to the input",
                 "The training loss per pixel", "The pixels the model was trained on"),
        answer=1,
        why="Large |∂score/∂pixel| marks the pixels whose change would move the score most.",
    ),
    Choice(
        "A network trained on one hospital's scans is used at another hospital. Why might it do "
        "worse there?",
        options=("Networks forget after training", "The new data may be distributed differently "
                 "(other scanners, other patients): a distribution shift",
                 "Inference is slower there", "Its weights change when copied"),
        answer=1,
        why="A model is only tested on data like its test set; new conditions need new evaluation.",
    ),
]
