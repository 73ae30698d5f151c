// The lessons, in the tutorial's order. A new lesson file adds one line here.
#include "lessons/lesson.hpp"

namespace pp::lessons {

extern const Lesson kProgramLesson;
extern const Lesson kProcessLesson;
extern const Lesson kThreadLesson;
extern const Lesson kStartJoinLesson;
extern const Lesson kMultithreadingLesson;
extern const Lesson kMultiprocessingLesson;
extern const Lesson kThreadPoolLesson;
extern const Lesson kProcessPoolLesson;
extern const Lesson kUseCasesLesson;
extern const Lesson kTakeawaysLesson;

const std::vector<const Lesson*>& all_lessons() {
    static const std::vector<const Lesson*> lessons{
        &kProgramLesson,         &kProcessLesson,    &kThreadLesson,      &kStartJoinLesson, &kMultithreadingLesson,
        &kMultiprocessingLesson, &kThreadPoolLesson, &kProcessPoolLesson, &kUseCasesLesson,  &kTakeawaysLesson,
    };
    return lessons;
}

const Lesson* find_lesson(std::string_view id) {
    for (const Lesson* lesson : all_lessons())
        if (id == lesson->info.id) return lesson;
    return nullptr;
}

}  // namespace pp::lessons
